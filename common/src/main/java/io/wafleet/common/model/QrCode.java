package io.wafleet.common.model;

import java.time.Instant;
import java.util.Objects;

/** The QR string currently shown for pairing, and when WhatsApp rotates it away. A secret. */
public record QrCode(String value, Instant expiresAt) {
  public QrCode {
    Objects.requireNonNull(value, "value == null");
    Objects.requireNonNull(expiresAt, "expiresAt == null");
  }

  /** Never prints the QR string: it is a key to the account. */
  @Override
  public String toString() {
    return "QrCode[expiresAt=" + expiresAt + "]";
  }
}
