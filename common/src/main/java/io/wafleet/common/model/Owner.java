package io.wafleet.common.model;

import java.util.Objects;

/**
 * The connector instance that holds an account's socket, and the generation under which it claimed
 * it. The generation is a fencing token: owner-only writes carry it and are refused when it is stale.
 */
public record Owner(String instanceId, long generation) {
  public Owner {
    Objects.requireNonNull(instanceId, "instanceId == null");
    if (instanceId.isBlank()) {
      throw new IllegalArgumentException("instanceId is blank");
    }
    if (generation < 1) {
      throw new IllegalArgumentException("generation < 1");
    }
  }
}
