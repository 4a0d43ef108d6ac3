package io.wafleet.simulator.phone;

import java.util.Objects;

/**
 * A phone-book operation refused; {@link #reason()} says why, and the admin API maps each reason to
 * one HTTP status. Skips its stack trace: these are expected outcomes.
 */
public final class PhoneBookException extends RuntimeException {

  /** Why an operation was refused. */
  public enum Reason {
    /** The phone number is not a 7..15 digit number. */
    BAD_PHONE,
    /** The phone number is not registered with the simulator. */
    UNKNOWN_PHONE,
    /** A phone with that number exists already. */
    DUPLICATE_PHONE,
    /** The QR string does not have the four §6.2 fields. */
    BAD_QR,
    /** No live pairing has that ref. */
    UNKNOWN_REF,
    /** The ref existed but its validity ran out (§6.3). */
    EXPIRED_REF,
    /** The QR's keys do not match the registering connection's (§6.4). */
    QR_MISMATCH,
    /** No linked device has that JID. */
    UNKNOWN_DEVICE
  }

  private final Reason reason;
  private final String field;

  public PhoneBookException(Reason reason, String message, String field) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason == null");
    this.field = field;
  }

  public Reason reason() {
    return reason;
  }

  /** The request field at fault, or null. */
  public String field() {
    return field;
  }
}
