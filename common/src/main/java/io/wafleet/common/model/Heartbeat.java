package io.wafleet.common.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * wa_metrics/longrun/heartbeats/{YYYY-MM-DDTHH-MM}: one per minute for the whole fleet.
 *
 * @param bucket the minute this heartbeat stands for (truncated to the minute when stored)
 * @param connectorsAlive connector instances whose last beat is fresh at {@code at}
 * @param countsByStatus accounts per {@link AccountStatus} name
 * @param connectorMemoryBytes the sum of the memory the live connectors reported in their beats
 * @param driftMs how late the run started after its minute began (scheduling drift), never negative
 * @param at when the heartbeat job wrote it
 * @param accountsNotConnected every account not CONNECTED in that minute, id → its status name, or
 *     {@link #STOPPED} when it is not desired ACTIVE; an account absent from it was CONNECTED (or did
 *     not exist). The source of per-account uptime; empty in heartbeats written before it existed.
 */
public record Heartbeat(
    Instant bucket,
    int connectorsAlive,
    Map<String, Long> countsByStatus,
    long connectorMemoryBytes,
    long driftMs,
    Instant at,
    Map<String, String> accountsNotConnected) {

  /** The value in {@link #accountsNotConnected} of an account nobody wants connected. */
  public static final String STOPPED = "STOPPED";

  /** A heartbeat that records no account as not connected. */
  public Heartbeat(Instant bucket, int connectorsAlive, Map<String, Long> countsByStatus, long connectorMemoryBytes,
      long driftMs, Instant at) {
    this(bucket, connectorsAlive, countsByStatus, connectorMemoryBytes, driftMs, at, Map.of());
  }

  public Heartbeat {
    accountsNotConnected = Map.copyOf(Objects.requireNonNull(accountsNotConnected, "accountsNotConnected == null"));
    Objects.requireNonNull(bucket, "bucket == null");
    Objects.requireNonNull(at, "at == null");
    countsByStatus = Map.copyOf(Objects.requireNonNull(countsByStatus, "countsByStatus == null"));
    if (connectorsAlive < 0) {
      throw new IllegalArgumentException("connectorsAlive < 0");
    }
    if (connectorMemoryBytes < 0) {
      throw new IllegalArgumentException("connectorMemoryBytes < 0");
    }
    if (driftMs < 0) {
      throw new IllegalArgumentException("driftMs < 0");
    }
  }
}
