package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.phone.AdvPairing;
import io.wafleet.simulator.phone.Companion;
import io.wafleet.simulator.phone.PendingLink;
import io.wafleet.simulator.phone.Registration;
import io.wafleet.simulator.server.Stats.Counter;
import io.wafleet.client.crypto.LinkCodeCrypto;
import io.wafleet.simulator.phone.LinkCodeFinish;
import io.wafleet.simulator.phone.PhoneBookException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registering connection (§6): shows pair-device refs, answers pings, and when the phone scans
 * sends pair-success, verifies the pair-device-sign (§6.5) and ends with {@code 515} (§6.6).
 *
 * <p>Thread-safe: {@link #sendPairSuccess} comes from the admin thread, the rest from the
 * connection's thread; the pending link is volatile and set before pair-success is sent.
 */
final class PairingSession implements NodeHandler, Companion {

  private static final Logger log = LoggerFactory.getLogger(PairingSession.class);
  private static final int RESTART_REQUIRED = 515;

  private final Connection connection;
  private final ServerContext context;
  private final Registration registration;
  private final String pairDeviceId;
  private final String pairSuccessId;
  private volatile PendingLink pending;
  private volatile boolean confirmed;
  private volatile java.time.Instant registrationEndsAt;
  /** The phone waiting for our companion_finish (§6.7); completed on the connection's thread. */
  private final AtomicReference<CompletableFuture<LinkCodeFinish>> awaitedFinish =
      new AtomicReference<>();
  private final AtomicLong notificationIds = new AtomicLong();

  PairingSession(Connection connection, ServerContext context, Registration registration) {
    this.connection = connection;
    this.context = context;
    this.registration = registration;
    this.pairDeviceId = "pd-" + connection.id();
    this.pairSuccessId = "ps-" + connection.id();
  }

  @Override
  public Registration registration() {
    return registration;
  }

  /** §6.1: {@code <iq type="set" xmlns="md"><pair-device><ref>…</ref>…</pair-device></iq>}. */
  @Override
  public void start() {
    var config = context.config();
    registrationEndsAt = config.clock().instant().plus(config.firstRefTtl())
        .plus(config.nextRefTtl().multipliedBy(config.refCount() - 1L));
    List<Node> refs = new ArrayList<>();
    for (String ref : context.phones().issueRefs(this, config.refCount(), config.firstRefTtl(),
        config.nextRefTtl())) {
      refs.add(Node.of("ref", Map.of(), ref.getBytes(StandardCharsets.UTF_8)));
    }
    connection.send(Node.of("iq",
        Node.attrsOf("from", Stanzas.SERVER, "type", "set", "id", pairDeviceId, "xmlns", "md"),
        List.of(Node.of("pair-device", Map.of(), refs))));
  }

  /** §6.4: pair-success with the wrapped device identity, platform and device JIDs. */
  @Override
  public void sendPairSuccess(PendingLink link) {
    pending = link;
    Node device = Node.of("device", Node.attrsOf("jid", link.device().jid().toString(),
        "lid", link.device().lid().toString()));
    Node pairSuccess = Node.of("pair-success", Map.of(), List.of(
        Node.of("device-identity", Map.of(), link.wrapper()),
        Node.of("platform", Node.attrsOf("name", "android")),
        device));
    connection.send(Node.of("iq",
        Node.attrsOf("from", Stanzas.SERVER, "type", "set", "id", pairSuccessId),
        List.of(pairSuccess)));
    log.info("pair-success sent conn={} device={}", connection.id(), link.device().jid().masked());
  }

  @Override
  public void handle(Node node) {
    if (!"iq".equals(node.tag())) {
      return;
    }
    String type = node.attrOr("type", "");
    String id = node.attrOr("id", "");
    Node linkCode = node.child("link_code_companion_reg");
    if ("set".equals(type) && linkCode != null) {
      onLinkCode(id, linkCode);
    } else if ("get".equals(type) || "set".equals(type)) {
      connection.send(Stanzas.result(id));
    } else if ("result".equals(type) && pairSuccessId.equals(id)) {
      onPairDeviceSign(node.child("pair-device-sign"));
    }
  }

  /** §6.5 step 4: verify the device signature, then 515 and close (§6.6). */
  private void onPairDeviceSign(Node sign) {
    PendingLink link = pending;
    Node identity = sign == null ? null : sign.child("device-identity");
    if (link == null || identity == null || identity.bytes() == null) {
      connection.fail("bad-pair-device-sign", "missing pair-device-sign/device-identity");
      return;
    }
    if (!AdvPairing.verifyDeviceSignature(link, identity.bytes())) {
      connection.fail("bad-pair-device-sign", "device signature does not verify");
      return;
    }
    context.phones().confirm(link);
    confirmed = true;
    context.stats().increment(Counter.PAIRINGS);
    log.info("paired device={}", link.device().jid().masked());
    connection.sendAndClose(Stanzas.streamError(RESTART_REQUIRED));
  }

  /** §6.7: companion_hello registers a code; companion_finish goes to the waiting phone. */
  private void onLinkCode(String id, Node reg) {
    String stage = reg.attrOr("stage", "");
    switch (stage) {
      case "companion_hello" -> onCompanionHello(id, reg);
      case "companion_finish" -> onCompanionFinish(id, reg);
      default -> connection.send(iqError(id, 400, "bad-request"));
    }
  }

  private void onCompanionHello(String id, Node reg) {
    Jid jid = Jid.tryParse(reg.attrOr("jid", ""));
    byte[] wrapped = bytes(reg, "link_code_pairing_wrapped_companion_ephemeral_pub");
    byte[] serverAuthKey = bytes(reg, "companion_server_auth_key_pub");
    if (jid == null || !jid.isUser() || jid.hasDevice()
        || wrapped.length != LinkCodeCrypto.WRAPPED_KEY_LENGTH
        || !Arrays.equals(serverAuthKey, registration.noiseKey())) {
      log.info("companion_hello refused conn={} reason=malformed", connection.id());
      connection.send(iqError(id, 400, "bad-request"));
      return;
    }
    String ref;
    try {
      ref = context.phones().linkCodes().register(this, jid.user(), wrapped, registrationEndsAt);
    } catch (PhoneBookException e) {
      // WhatsApp Web reads only 400, 403, 429, 452 and 500 here (whatsapp-rust
      // wacore/src/pair_code.rs); a number without WhatsApp gets bad-request from us [U].
      boolean limited = e.reason() == PhoneBookException.Reason.TOO_MANY_ATTEMPTS;
      log.info("companion_hello refused conn={} reason={}", connection.id(),
          limited ? "rate-overlimit" : "unknown-phone");
      connection.send(limited ? iqError(id, 429, "rate-overlimit")
          : iqError(id, 400, "bad-request"));
      return;
    }
    log.info("pairing code registered conn={} phone={}", connection.id(), jid.masked());
    connection.send(Stanzas.result(id, List.of(Node.of("link_code_companion_reg", Map.of(),
        List.of(Node.of("link_code_pairing_ref", Map.of(),
            ref.getBytes(StandardCharsets.UTF_8)))))));
  }

  private void onCompanionFinish(String id, Node reg) {
    CompletableFuture<LinkCodeFinish> waiter = awaitedFinish.getAndSet(null);
    LinkCodeFinish finish = new LinkCodeFinish(id, bytes(reg, "link_code_pairing_wrapped_key_bundle"),
        bytes(reg, "companion_identity_public"),
        new String(bytes(reg, "link_code_pairing_ref"), StandardCharsets.UTF_8));
    if (waiter == null || !waiter.complete(finish)) {
      log.info("companion_finish refused conn={} reason=no phone waits", connection.id());
      connection.send(iqError(id, 400, "bad-request"));
    }
  }

  /** §6.7 step 3: {@code <notification type="link_code_companion_reg">}, stage primary_hello. */
  @Override
  public CompletableFuture<LinkCodeFinish> sendLinkCodeNotification(String ref,
      byte[] primaryIdentity, byte[] wrappedPrimaryEphemeral) {
    CompletableFuture<LinkCodeFinish> finish = new CompletableFuture<>();
    CompletableFuture<LinkCodeFinish> previous = awaitedFinish.getAndSet(finish);
    if (previous != null) {
      previous.cancel(false);
    }
    if (connection.state() == Connection.State.CLOSED) {
      finish.completeExceptionally(new IllegalStateException("registration closed"));
      return finish;
    }
    Node reg = Node.of("link_code_companion_reg", Node.attrsOf("stage", "primary_hello"), List.of(
        Node.of("link_code_pairing_ref", Map.of(), ref.getBytes(StandardCharsets.UTF_8)),
        Node.of("primary_identity_pub", Map.of(), primaryIdentity),
        Node.of("link_code_pairing_wrapped_primary_ephemeral_pub", Map.of(),
            wrappedPrimaryEphemeral)));
    connection.send(Node.of("notification", Node.attrsOf("from", Stanzas.SERVER,
        "id", "lc-" + connection.id() + "-" + notificationIds.incrementAndGet(),
        "type", "link_code_companion_reg",
        "t", Long.toString(context.config().clock().instant().getEpochSecond())), List.of(reg)));
    return finish;
  }

  @Override
  public void answerLinkCodeFinish(LinkCodeFinish finish, int errorCode, String errorText) {
    connection.send(errorCode == 0 ? Stanzas.result(finish.iqId())
        : iqError(finish.iqId(), errorCode, errorText));
  }

  private static Node iqError(String id, int code, String text) {
    return Node.of("iq", Node.attrsOf("from", Stanzas.SERVER, "type", "error", "id", id),
        List.of(Node.of("error", Node.attrsOf("code", Integer.toString(code), "text", text))));
  }

  private static byte[] bytes(Node parent, String tag) {
    Node child = parent.child(tag);
    byte[] value = child == null ? null : child.bytes();
    return value == null ? new byte[0] : value;
  }

  @Override
  public void closed() {
    context.phones().linkCodes().revoke(this);
    CompletableFuture<LinkCodeFinish> waiter = awaitedFinish.getAndSet(null);
    if (waiter != null) {
      waiter.completeExceptionally(new IllegalStateException("registration closed"));
    }
    context.phones().revokeRefs(this);
    PendingLink link = pending;
    if (link != null && !confirmed) {
      context.phones().abandon(link);
    }
  }

  @Override
  public Optional<Jid> deviceJid() {
    PendingLink link = pending;
    return link == null ? Optional.empty() : Optional.of(link.device().jid());
  }
}
