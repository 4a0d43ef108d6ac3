package io.wafleet.common.model;

/** What a probe measures (docs/architecture.md, "Monitors"). */
public enum ProbeType {
  /** Send to a probe chat; latency to the server ack. */
  OUTBOUND,
  /** A probe sender writes to a monitored account; latency to the stored message. */
  INBOUND,
  /** Outbox drain time. */
  QUEUE
}
