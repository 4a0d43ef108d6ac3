package io.wafleet.client;

import io.wafleet.client.auth.Credentials;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.QrCodeUpdated;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  private final ConnectionContext ctx;
  private final List<String> refs = new ArrayList<>();
  private TaskScheduler.Cancellable rotation;
  private int shown;

  Pairing(ConnectionContext ctx) {
    this.ctx = ctx;
  }

  void onPairDevice(Node iq) {
    ctx.send(WireProtocol.resultFor(iq));
    if (!ctx.state().is(ConnectionState.PAIRING) || !refs.isEmpty()) {
      log.warn("pair-device ignored state={}", ctx.state().current());
      return;
    }
    ctx.connectStageDone();
    for (Node ref : iq.child("pair-device").children("ref")) {
      byte[] bytes = ref.bytes();
      if (bytes != null && bytes.length > 0) {
        refs.add(new String(bytes, StandardCharsets.UTF_8));
      }
    }
    log.info("pairing started refs={}", refs.size());
    showNext();
  }

  private void showNext() {
    if (ctx.state().isClosingOrClosed()) {
      return;
    }
    if (shown >= refs.size()) {
      ctx.terminate(DisconnectReason.TIMED_OUT, DisconnectReason.TIMED_OUT.code(),
          "QR refs attempts ended");
      return;
    }
    Duration ttl = shown == 0 ? ctx.config().qrFirstTtl() : ctx.config().qrNextTtl();
    String qr = QrCodes.format(refs.get(shown), ctx.credentials());
    shown++;
    ctx.emit(new QrCodeUpdated(qr, ctx.config().clock().instant().plus(ttl)));
    rotation = ctx.scheduler().schedule(this::showNext, ttl);
  }

  void onPairSuccess(Node iq) {
    if (rotation != null) {
      rotation.cancel();
    }
    if (!ctx.state().is(ConnectionState.PAIRING)) {
      ctx.terminate(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(),
          "pair-success on a login connection");
      return;
    }
    PairingVerifier.Verified verified;
    try {
      verified = PairingVerifier.verify(iq.child("pair-success"), ctx.credentials());
    } catch (PairingException e) {
      ctx.terminate(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(),
          "pairing rejected: " + e.getMessage());
      return;
    }
    ctx.send(PairingVerifier.reply(iq, verified));
    Credentials paired = ctx.credentials().toBuilder()
        .me(verified.deviceJid())
        .lid(verified.lid())
        .platform(verified.platform())
        .pushName(verified.businessName())
        .account(verified.account())
        .build();
    log.info("pairing succeeded device={} platform={}", verified.deviceJid().masked(),
        verified.platform());
    ctx.updateCredentials(paired);
    ctx.emit(new PairSuccess(verified.deviceJid(), verified.lid(), verified.platform()));
  }
}
