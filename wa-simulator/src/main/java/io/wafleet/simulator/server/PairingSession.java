package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.phone.AdvPairing;
import io.wafleet.simulator.phone.Companion;
import io.wafleet.simulator.phone.PendingLink;
import io.wafleet.simulator.phone.Registration;
import io.wafleet.simulator.server.Stats.Counter;
import java.nio.charset.StandardCharsets;
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
    if ("get".equals(type) || "set".equals(type)) {
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

  @Override
  public void closed() {
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
