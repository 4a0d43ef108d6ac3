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
    UNKNOWN_DEVICE,
    /** A pairing code is not 8 characters of its alphabet (§6.7). */
    BAD_LINK_CODE,
    /** The phone entered a code that is not the companion's (§6.7). */
    WRONG_LINK_CODE,
    /** The phone has no pending pairing code, and never had one. */
    UNKNOWN_LINK_CODE,
    /** The phone's pairing code is no longer valid (registration closed, or its time passed). */
    EXPIRED_LINK_CODE,
    /** The code was entered too often (it is dead), or its number asked for too many codes. */
    TOO_MANY_ATTEMPTS,
    /** Another code entry for this phone is in progress, or the companion did not finish. */
    LINK_CODE_CONFLICT
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
