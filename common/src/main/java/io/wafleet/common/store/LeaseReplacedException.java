package io.wafleet.common.store;

/**
 * A renewal found another process's incarnation in the lease: a new process took this instance id
 * over. The renewing process must stop holding anything at once, as on a lost lease.
 */
public final class LeaseReplacedException extends StoreException {

  private final String replacedBy;

  public LeaseReplacedException(String instanceId, String incarnation, String replacedBy) {
    super("lease of instance " + instanceId + " was taken over by incarnation " + replacedBy + " (this one is "
        + incarnation + ")");
    this.replacedBy = replacedBy;
  }

  public String replacedBy() {
    return replacedBy;
  }
}
