package io.wafleet.functions.monitor;

import java.time.Instant;
import java.util.Map;

/**
 * One scheduled job behind {@code POST /jobs/{name}}. Every job is idempotent: a retried or doubled
 * run for the same scheduled time changes nothing more than one run did.
 */
public interface MonitorJob {

  /** The path segment and the name in scheduler/jobs.yaml. */
  String name();

  /** Runs once for {@code scheduledFor}; returns a JSON-able summary of what it did. */
  Map<String, Object> run(Instant scheduledFor);
}
