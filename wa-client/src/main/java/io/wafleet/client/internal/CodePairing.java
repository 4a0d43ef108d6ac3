package io.wafleet.client.internal;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.ConnectionState;
import io.wafleet.client.IqErrorException;
import io.wafleet.client.NotConnectedException;
import io.wafleet.client.PairingCode;
import io.wafleet.client.PairingCodeError;
import io.wafleet.client.PairingCodeException;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.crypto.LinkCodeCrypto;
import io.wafleet.client.event.PairingCodeFailed;
import io.wafleet.client.model.Jid;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pairing by code on a registration connection (§6.7): sends companion_hello with our wrapped
 * ephemeral key, and when the server's {@code link_code_companion_reg} notification brings the
 * phone's, answers companion_finish with the key bundle and stores the derived ADV secret; the
 * pair-success that follows goes through {@link Pairing} as after a QR scan.
 *
 * <p>State: {@link Stage}, changed only by {@link #moveTo}. Not thread-safe: the inbound thread
 * only (query replies and timeouts complete there too).
 */
final class CodePairing {

  private static final Logger log = LoggerFactory.getLogger(CodePairing.class);
  static final String NOTIFICATION_TYPE = "link_code_companion_reg";

  /** Where the code stands. */
  enum Stage {
    /** No code requested on this connection. */
    NONE,
    /** companion_hello sent, its answer not yet in. */
    REQUESTED,
    /** The server accepted the code; waiting for the phone to enter it. */
    ISSUED,
    /** companion_finish sent for the phone's notification, its answer not yet in. */
    FINISHING,
    /**
     * The server accepted companion_finish; pair-success follows if the phone could open our key
     * bundle. If it could not (a wrong code), nothing comes: the confirm timer or the phone's next
     * attempt tells.
     */
    FINISHED,
    /** pair-success arrived: the code did its job. */
    PAIRED,
    /** The code is dead (too many attempts, refused or expired). */
    FAILED
  }

  /**
   * primary_hello notifications one code accepts: WhatsApp Web abandons the code after the third
   * ({@code MaxPrimaryHelloError}, as whatsapp-rust's wacore/src/pair_code.rs records it).
   */
  static final int MAX_ATTEMPTS = 3;

  /** The code of this connection and the ephemeral key it wraps. */
  private record Pending(String code, Jid phone, KeyPair ephemeral, Instant expiresAt,
      CompletableFuture<PairingCode> result) {
  }

  private final ClientConfig config;
  private final NodeChannel channel;
  private final DeviceAuth auth;
  private final EventEmitter events;
  private final ConnectionLifecycle lifecycle;
  private final Pairing pairing;
  private final TaskScheduler scheduler;
  private Stage stage = Stage.NONE;
  private Pending pending;
  private String ref;
  private int attempts;
  private TaskScheduler.Cancellable confirmTimer;

  CodePairing(ClientConfig config, NodeChannel channel, DeviceAuth auth, EventEmitter events,
      ConnectionLifecycle lifecycle, Pairing pairing, TaskScheduler scheduler) {
    this.config = config;
    this.channel = channel;
    this.auth = auth;
    this.events = events;
    this.lifecycle = lifecycle;
    this.pairing = pairing;
    this.scheduler = scheduler;
    pairing.onRefsExhausted(this::expire);
    pairing.onPairSuccessReceived(this::paired);
  }

  /**
   * Parses a phone number as the user types it: digits with an optional {@code +}, spaces, dots,
   * dashes or parentheses; 7 to 15 digits in international form (no leading 0), as whatsmeow's
   * pair-code.go insists.
   *
   * @throws PairingCodeException INVALID_PHONE_NUMBER otherwise
   */
  static Jid phoneJid(String phoneNumber) {
    if (phoneNumber == null || !phoneNumber.matches("\\+?[0-9 .()\\-]+")) {
      throw new PairingCodeException(PairingCodeError.INVALID_PHONE_NUMBER,
          "a phone number is digits only, international form");
    }
    String digits = phoneNumber.replaceAll("[^0-9]", "");
    if (!digits.matches("[1-9][0-9]{6,14}")) {
      throw new PairingCodeException(PairingCodeError.INVALID_PHONE_NUMBER,
          "a phone number has 7 to 15 digits and no leading 0 (international form)");
    }
    return Jid.of(digits, Jid.SERVER);
  }

  /** Sends companion_hello (§6.7 step 2); {@code result} completes with the server's answer. */
  void request(Jid phone, CompletableFuture<PairingCode> result) {
    Optional<Instant> endsAt = pairing.registrationEndsAt();
    if (!lifecycle.state().is(ConnectionState.PAIRING) || endsAt.isEmpty()) {
      result.completeExceptionally(new NotConnectedException(
          "a pairing code needs a registration connection showing QR codes, state="
              + lifecycle.state().current()));
      return;
    }
    if (stage == Stage.FINISHING || stage == Stage.FINISHED || stage == Stage.PAIRED) {
      result.completeExceptionally(new IllegalStateException(
          "the phone already entered a code on this connection"));
      return;
    }
    failPending(new PairingCodeException(PairingCodeError.REJECTED, "replaced by a new request"));
    String code = LinkCodeCrypto.newCode(config.random());
    KeyPair ephemeral = Curve25519.generateKeyPair();
    Pending next = new Pending(code, phone, ephemeral, endsAt.get(), result);
    pending = next;
    ref = null;
    attempts = 0;
    moveTo(Stage.REQUESTED);
    Credentials credentials = auth.credentials();
    Node hello = Node.of("link_code_companion_reg", Node.attrsOf("jid", phone.toString(),
        "stage", "companion_hello", "should_show_push_notification", "true"), List.of(
            Node.of("link_code_pairing_wrapped_companion_ephemeral_pub", Node.attrsOf(),
                LinkCodeCrypto.wrapKey(code, ephemeral.publicKey(), config.random())),
            Node.of("companion_server_auth_key_pub", Node.attrsOf(),
                credentials.noiseKey().publicKey()),
            Node.of("companion_platform_id", Node.attrsOf(),
                PLATFORM_ID.getBytes(StandardCharsets.UTF_8)),
            Node.of("companion_platform_display", Node.attrsOf(),
                (WireProtocol.BROWSER_NAME + " (" + WireProtocol.BROWSER_OS + ")")
                    .getBytes(StandardCharsets.UTF_8)),
            Node.of("link_code_pairing_nonce", Node.attrsOf(),
                "0".getBytes(StandardCharsets.UTF_8))));
    channel.query(setIq(hello), config.queryTimeout())
        .whenComplete((reply, error) -> onHelloAnswer(next, reply, error));
    log.info("pairing code requested phone={}", phone.masked());
  }

  /** {@code DeviceProps.PlatformType} CHROME, matching our browser triple (§3.2). */
  private static final String PLATFORM_ID = "1";

  private void onHelloAnswer(Pending request, Node reply, Throwable error) {
    if (request != pending || stage != Stage.REQUESTED) {
      return;
    }
    if (error != null) {
      PairingCodeException failure = helloFailure(unwrap(error));
      moveTo(Stage.NONE);
      pending = null;
      if (failure == null) {
        request.result().completeExceptionally(unwrap(error));
      } else {
        request.result().completeExceptionally(failure);
      }
      return;
    }
    // whatsmeow (pair-code.go) reads the ref here; Baileys waits for the notification's. Both kept.
    Node reg = reply.child("link_code_companion_reg");
    Node refNode = reg == null ? null : reg.child("link_code_pairing_ref");
    if (refNode != null && refNode.bytes() != null) {
      ref = new String(refNode.bytes(), StandardCharsets.UTF_8);
    }
    moveTo(Stage.ISSUED);
    request.result().complete(new PairingCode(request.code(), request.phone(),
        request.expiresAt()));
  }

  /**
   * companion_hello refusals. WhatsApp answers {@code <error code="400" text="bad-request"/>} for a
   * request it will not take (Baileys issues 1016, 2560 and PR 2769 show it for a platform display
   * it does not accept; whatsapp-rust notes it also throttles a number this way) and {@code 429
   * rate-overlimit} when codes are asked for too often (Baileys issue 2008); WhatsApp Web's parser
   * knows 403, 452 (feature-not-available) and 500 besides (whatsapp-rust wacore/src/pair_code.rs).
   */
  private static PairingCodeException helloFailure(Throwable error) {
    if (!(error instanceof IqErrorException iq)) {
      return null;
    }
    return switch (iq.code()) {
      case 400 -> new PairingCodeException(PairingCodeError.INVALID_PHONE_NUMBER,
          "the server refused the request (400 bad-request): a number without WhatsApp, a "
              + "malformed request, or too many codes for this number");
      case 429 -> new PairingCodeException(PairingCodeError.TOO_MANY_ATTEMPTS,
          "the server refused more codes for now (429 rate-overlimit); try again later");
      case 452 -> new PairingCodeException(PairingCodeError.REJECTED,
          "linking by phone number is not available to this account (452); use the QR code");
      default -> new PairingCodeException(PairingCodeError.REJECTED,
          "companion_hello refused: iq error " + iq.code());
    };
  }

  /** A {@code link_code_companion_reg} notification: the phone entered a code (§6.7 step 3). */
  void onNotification(Node notification) {
    channel.send(ackFor(notification));
    Pending current = pending;
    if (current == null || (stage != Stage.ISSUED && stage != Stage.REQUESTED
        && stage != Stage.FINISHED)) {
      log.warn("pairing-code notification ignored stage={}", stage);
      return;
    }
    byte[] primaryEphemeral;
    byte[] primaryIdentity;
    String notifiedRef;
    try {
      Node reg = required(notification.child("link_code_companion_reg"),
          "link_code_companion_reg");
      notifiedRef = new String(requiredBytes(reg, "link_code_pairing_ref", -1),
          StandardCharsets.UTF_8);
      primaryIdentity = requiredBytes(reg, "primary_identity_pub", Curve25519.KEY_LENGTH);
      byte[] wrapped = requiredBytes(reg, "link_code_pairing_wrapped_primary_ephemeral_pub",
          LinkCodeCrypto.WRAPPED_KEY_LENGTH);
      if (ref != null && !ref.equals(notifiedRef)) {
        throw new BadNotification("link_code_pairing_ref differs from the one the server issued");
      }
      primaryEphemeral = LinkCodeCrypto.unwrapKey(current.code(), wrapped);
    } catch (BadNotification e) {
      log.warn("pairing-code notification rejected reason={}", e.getMessage());
      events.emit(new PairingCodeFailed(PairingCodeError.BAD_SERVER_MESSAGE, e.getMessage()));
      return;
    }
    if (stage == Stage.FINISHED) {
      // The phone typed again: its previous attempt could not open our bundle (a wrong code).
      cancelConfirmTimer();
      moveTo(Stage.ISSUED);
      emitFailure(PairingCodeError.WRONG_CODE, "the phone entered a code that is not this one");
    }
    if (attempts >= MAX_ATTEMPTS) {
      moveTo(Stage.FAILED);
      emitFailure(PairingCodeError.TOO_MANY_ATTEMPTS,
          "the phone entered the code " + MAX_ATTEMPTS + " times without success; request a new one");
      return;
    }
    attempts++;
    finish(current, notifiedRef, primaryEphemeral, primaryIdentity);
  }

  /** §6.7 step 4: key bundle, ADV secret, companion_finish. */
  private void finish(Pending current, String notifiedRef, byte[] primaryEphemeral,
      byte[] primaryIdentity) {
    Credentials credentials = auth.credentials();
    KeyPair identity = credentials.signedIdentityKey();
    byte[] ephemeralShared;
    byte[] identityShared;
    try {
      ephemeralShared = Curve25519.agree(current.ephemeral().privateKey(), primaryEphemeral);
      identityShared = Curve25519.agree(identity.privateKey(), primaryIdentity);
    } catch (IllegalArgumentException e) {
      log.warn("pairing-code notification rejected reason=bad key");
      events.emit(new PairingCodeFailed(PairingCodeError.BAD_SERVER_MESSAGE,
          "a key in the notification is not a Curve25519 public key"));
      return;
    }
    byte[] random = new byte[32];
    config.random().nextBytes(random);
    byte[] bundle = PairingVerifier.concat(identity.publicKey(), primaryIdentity, random);
    byte[] wrappedBundle = LinkCodeCrypto.wrapBundle(ephemeralShared, bundle, config.random());
    auth.updateCredentials(credentials.toBuilder()
        .advSecretKey(LinkCodeCrypto.advSecret(ephemeralShared, identityShared, random)).build());
    Node finish = Node.of("link_code_companion_reg", Node.attrsOf("jid",
        current.phone().toString(), "stage", "companion_finish"), List.of(
            Node.of("link_code_pairing_wrapped_key_bundle", Node.attrsOf(), wrappedBundle),
            Node.of("companion_identity_public", Node.attrsOf(), identity.publicKey()),
            Node.of("link_code_pairing_ref", Node.attrsOf(),
                notifiedRef.getBytes(StandardCharsets.UTF_8))));
    moveTo(Stage.FINISHING);
    channel.query(setIq(finish), config.queryTimeout())
        .whenComplete((reply, error) -> onFinishAnswer(current, error));
  }

  private void onFinishAnswer(Pending request, Throwable error) {
    if (request != pending || stage != Stage.FINISHING || lifecycle.state().isClosingOrClosed()) {
      return;
    }
    if (error == null) {
      // The server took the bundle; whether the phone can open it shows only by pair-success.
      // WhatsApp says nothing to the companion for a wrong code (whatsapp-rust src/pair_code.rs,
      // Baileys issue 2488), and WhatsApp Web gives up after a minute: so does this timer.
      moveTo(Stage.FINISHED);
      confirmTimer = scheduler.schedule(() -> unconfirmed(request),
          config.pairingCodeConfirmTimeout());
      log.info("companion_finish accepted; waiting for pair-success");
      return;
    }
    // WhatsApp Web treats any refusal of companion_finish (400 or 500) as the end of this code.
    Throwable cause = unwrap(error);
    moveTo(Stage.FAILED);
    emitFailure(PairingCodeError.REJECTED, "companion_finish refused: " + cause.getMessage());
  }

  /** No pair-success in time after companion_finish: the phone could not open our bundle. */
  private void unconfirmed(Pending request) {
    confirmTimer = null;
    if (request != pending || stage != Stage.FINISHED || lifecycle.state().isClosingOrClosed()) {
      return;
    }
    moveTo(Stage.ISSUED);
    emitFailure(PairingCodeError.WRONG_CODE, "no pair-success within "
        + config.pairingCodeConfirmTimeout().toSeconds()
        + " s after the phone entered a code: it was not this one");
    if (attempts >= MAX_ATTEMPTS) {
      moveTo(Stage.FAILED);
      emitFailure(PairingCodeError.TOO_MANY_ATTEMPTS,
          "the phone entered the code " + MAX_ATTEMPTS + " times without success; request a new one");
    }
  }

  /** pair-success arrived (by code or by QR): no failure is reported any more. */
  private void paired() {
    cancelConfirmTimer();
    if (stage != Stage.NONE) {
      moveTo(Stage.PAIRED);
    }
  }

  private void cancelConfirmTimer() {
    if (confirmTimer != null) {
      confirmTimer.cancel();
      confirmTimer = null;
    }
  }

  /** The registration's refs ran out (§6.3) before the phone finished: the code is dead. */
  private void expire() {
    if (stage == Stage.REQUESTED || stage == Stage.ISSUED || stage == Stage.FINISHING
        || stage == Stage.FINISHED) {
      cancelConfirmTimer();
      moveTo(Stage.FAILED);
      failPending(new PairingCodeException(PairingCodeError.EXPIRED,
          "the registration ended before the phone entered the code"));
      emitFailure(PairingCodeError.EXPIRED, "the registration ended before the phone entered the code");
    }
  }

  private void emitFailure(PairingCodeError error, String detail) {
    log.warn("pairing by code failed error={} detail={}", error, detail);
    events.emit(new PairingCodeFailed(error, detail));
  }

  private void failPending(RuntimeException cause) {
    if (pending != null) {
      pending.result().completeExceptionally(cause);
    }
  }

  private void moveTo(Stage next) {
    log.debug("pairing code stage {} -> {}", stage, next);
    stage = next;
  }

  /** {@code <ack class="notification" id to type/>}, as for every notification (§9.3). */
  private static Node ackFor(Node notification) {
    return Node.of("ack", Node.attrsOf("id", notification.attrOr("id", ""),
        "to", notification.attrOr("from", WireProtocol.SERVER), "class", "notification",
        "type", NOTIFICATION_TYPE));
  }

  private static Node setIq(Node child) {
    return Node.of("iq", Node.attrsOf("to", WireProtocol.SERVER, "type", "set", "xmlns", "md"),
        List.of(child));
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
  }

  private static Node required(Node node, String tag) throws BadNotification {
    if (node == null) {
      throw new BadNotification("notification lacks " + tag);
    }
    return node;
  }

  private static byte[] requiredBytes(Node parent, String tag, int length) throws BadNotification {
    Node child = required(parent.child(tag), tag);
    byte[] bytes = child.bytes();
    if (bytes == null || bytes.length == 0) {
      throw new BadNotification(tag + " is empty");
    }
    if (length > 0 && bytes.length != length) {
      throw new BadNotification(tag + " has " + bytes.length + " bytes, not " + length);
    }
    return bytes;
  }

  /** The notification cannot be used; the message says why. */
  private static final class BadNotification extends Exception {
    private static final long serialVersionUID = 1L;

    BadNotification(String message) {
      super(message, null, false, false);
    }
  }
}
