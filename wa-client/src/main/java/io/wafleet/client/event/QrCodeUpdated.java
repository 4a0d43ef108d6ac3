package io.wafleet.client.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A new QR code is to be shown (§6.2, §6.3): the first at once after the server's pair-device,
 * each later one when the previous expires. Next: the phone scans it ({@link PairSuccess}) or,
 * when the server's refs run out, {@code Disconnected(TIMED_OUT)}.
 *
 * @param qr {@code ref,base64(noise pub),base64(identity pub),base64(adv secret)} — a secret:
 *     never log it
 * @param expiresAt when the client replaces this code
 */
public record QrCodeUpdated(String qr, Instant expiresAt) implements WaEvent {

  public QrCodeUpdated {
    Objects.requireNonNull(qr, "qr == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
  }

  @Override
  public String toString() {
    return "QrCodeUpdated[expiresAt=" + expiresAt + "]";
  }
}
