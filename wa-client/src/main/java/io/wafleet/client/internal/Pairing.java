package io.wafleet.client.internal;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.ConnectionState;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.client.model.DisconnectReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * QR pairing on a registration connection (§6): answers pair-device, shows one QR code per ref
 * (first for {@code qrFirstTtl}, then {@code qrNextTtl} each, §6.3) and closes with TIMED_OUT when
 * they run out; verifies pair-success, answers pair-device-sign and stores the new identity.
 * Not thread-safe: the inbound thread only.
 */
final class Pairing {

  private static final Logger log = LoggerFactory.getLogger(Pairing.class);

  private final ClientConfig config;
  private final NodeChannel channel;
  private final DeviceAuth auth;
  private final EventEmitter events;
  private final TaskScheduler scheduler;
  private final ConnectionLifecycle lifecycle;
  private final List<String> refs = new ArrayList<>();
  private TaskScheduler.Cancellable rotation;
  private int shown;
  private Instant endsAt;
  private Runnable onRefsExhausted = () -> { };
  private Runnable onPairSuccessReceived = () -> { };

  Pairing(ClientConfig config, NodeChannel channel, DeviceAuth auth, EventEmitter events,
      TaskScheduler scheduler, ConnectionLifecycle lifecycle) {
    this.config = config;
    this.channel = channel;
    this.auth = auth;
    this.events = events;
    this.scheduler = scheduler;
    this.lifecycle = lifecycle;
  }

  void onPairDevice(Node iq) {
    channel.send(WireProtocol.resultFor(iq));
    if (!lifecycle.state().is(ConnectionState.PAIRING) || !refs.isEmpty()) {
      log.warn("pair-device ignored state={}", lifecycle.state().current());
      return;
    }
    lifecycle.connectStageDone();
    for (Node ref : iq.child("pair-device").children("ref")) {
      byte[] bytes = ref.bytes();
      if (bytes != null && bytes.length > 0) {
        refs.add(new String(bytes, StandardCharsets.UTF_8));
      }
    }
    log.info("pairing started refs={}", refs.size());
    if (!refs.isEmpty()) {
      endsAt = config.clock().instant().plus(config.qrFirstTtl())
          .plus(config.qrNextTtl().multipliedBy(refs.size() - 1L));
    }
    showNext();
  }

  private void showNext() {
    if (lifecycle.state().isClosingOrClosed()) {
      return;
    }
    if (shown >= refs.size()) {
      onRefsExhausted.run();
      lifecycle.terminate(DisconnectReason.TIMED_OUT, DisconnectReason.TIMED_OUT.code(),
          "QR refs attempts ended");
      return;
    }
    Duration ttl = shown == 0 ? config.qrFirstTtl() : config.qrNextTtl();
    String qr = PairingQrFormat.format(refs.get(shown), auth.credentials());
    shown++;
    events.emit(new QrCodeUpdated(qr, config.clock().instant().plus(ttl)));
    rotation = scheduler.schedule(this::showNext, ttl);
  }

  /** When the registration ends unless pairing succeeds (§6.3); empty before pair-device. */
  Optional<Instant> registrationEndsAt() {
    return Optional.ofNullable(endsAt);
  }

  /** Runs {@code step} just before the registration closes because its refs ran out. */
  void onRefsExhausted(Runnable step) {
    onRefsExhausted = step;
  }

  /** Runs {@code step} when pair-success arrives, before it is verified. */
  void onPairSuccessReceived(Runnable step) {
    onPairSuccessReceived = step;
  }

  void onPairSuccess(Node iq) {
    if (rotation != null) {
      rotation.cancel();
    }
    onPairSuccessReceived.run();
    if (!lifecycle.state().is(ConnectionState.PAIRING)) {
      lifecycle.terminate(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(),
          "pair-success on a login connection");
      return;
    }
    PairingVerifier.Verified verified;
    try {
      verified = PairingVerifier.verify(iq.child("pair-success"), auth.credentials());
    } catch (PairingException e) {
      lifecycle.terminate(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(),
          "pairing rejected: " + e.getMessage());
      return;
    }
    channel.send(PairingVerifier.reply(iq, verified));
    Credentials paired = auth.credentials().toBuilder()
        .me(verified.deviceJid())
        .lid(verified.lid())
        .platform(verified.platform())
        .pushName(verified.businessName())
        .account(verified.account())
        .build();
    log.info("pairing succeeded device={} platform={}", verified.deviceJid().masked(),
        verified.platform());
    auth.updateCredentials(paired);
    events.emit(new PairSuccess(verified.deviceJid(), verified.lid(), verified.platform()));
  }
}
