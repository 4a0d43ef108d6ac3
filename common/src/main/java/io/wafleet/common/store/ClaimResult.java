package io.wafleet.common.store;

import io.wafleet.common.model.Owner;

/**
 * The outcome of a claim: {@code owner} is the new owner when {@code claimed}, else whoever holds
 * the account (or null), with the reason the claim was refused.
 */
public record ClaimResult(boolean claimed, Owner owner, String refusal) {

  static ClaimResult claimed(Owner owner) {
    return new ClaimResult(true, owner, null);
  }

  static ClaimResult refused(Owner current, String why) {
    return new ClaimResult(false, current, why);
  }
}
