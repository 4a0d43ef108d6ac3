package io.wafleet.functions.alert;

/**
 * What an alert is about, with the first step of its runbook section (docs/runbook.md, "Alerts").
 * The wire name keys the throttle state in Firestore; adding a value is a schema change.
 */
public enum AlertType {
  DISCONNECTED("disconnected", "Open the dashboard and read the account's last error; see docs/runbook.md#disconnected."),
  LOGGED_OUT("logged-out", "Pair the account again (QR on the dashboard); see docs/runbook.md#logged-out."),
  RECONNECT_LOOP("reconnect-loop", "Read the account's lastDisconnectReason; see docs/runbook.md#reconnect-loop."),
  RECONNECT_RATE("reconnect-rate", "Read the account's lastDisconnectReason and recentReconnects; see docs/runbook.md#reconnect-rate."),
  PHONE_OFFLINE("phone-offline", "Ask the phone's owner to open WhatsApp on it; see docs/runbook.md#phone-offline."),
  CONNECTOR_DOWN("connector-down", "Check the connector service's logs and revisions; see docs/runbook.md#connector-down."),
  MISSED_HEARTBEATS("missed-heartbeats", "Check the heartbeat scheduler job; see docs/runbook.md#missed-heartbeats."),
  LOW_COVERAGE("low-coverage", "Look for gaps at GET /v1/admin/coverage; see docs/runbook.md#low-coverage."),
  PROBE_FAILING("probe-failing", "Read the failing probes at GET /v1/admin/probes; see docs/runbook.md#probe-failing."),
  QUEUE_DEPTH("queue-depth", "Check the connector is sending; see docs/runbook.md#queue-depth.");

  private final String wireName;
  private final String runbookStep;

  AlertType(String wireName, String runbookStep) {
    this.wireName = wireName;
    this.runbookStep = runbookStep;
  }

  public String wireName() {
    return wireName;
  }

  public String runbookStep() {
    return runbookStep;
  }

  /** The alert type of an incident type's wire name, if incidents of that type alert. */
  public static java.util.Optional<AlertType> ofIncidentType(String incidentType) {
    for (AlertType t : values()) {
      if (t.wireName.equals(incidentType)) {
        return java.util.Optional.of(t);
      }
    }
    return java.util.Optional.empty();
  }
}
