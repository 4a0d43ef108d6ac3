package io.wafleet.simulator.group;

import java.util.Objects;

/**
 * A groups operation refused; {@link #reason()} says why and the admin API maps each reason to one
 * HTTP status. Skips its stack trace: these are expected outcomes.
 */
public final class GroupException extends RuntimeException {

  /** Why an operation was refused. */
  public enum Reason {
    /** A field is missing, of the wrong type or out of range. */
    BAD_REQUEST,
    /** No group has that JID. */
    UNKNOWN_GROUP,
    /** A phone number named is not a simulated phone. */
    UNKNOWN_PHONE,
    /** The change cannot be applied to the group as it is (remove a non-member, the creator...). */
    CONFLICT
  }

  private final Reason reason;
  private final String field;

  public GroupException(Reason reason, String message, String field) {
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
