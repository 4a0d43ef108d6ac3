package io.wafleet.functions.watchdog;

/** Restarts the connector service. Implementations block until the platform accepted the restart. */
public interface ConnectorRestarter {

  /** Restarts; returns what was done (e.g. the new revision's name), safe to log. */
  String restart(String reason);

  /** For logs: what this restarts. */
  String describe();
}
