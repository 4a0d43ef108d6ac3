package io.wafleet.common.model;

/**
 * The kinds of incident, stored by {@link #wireName()} in {@code Incident.type} (docs/runbook.md has
 * what each means and what to do). Adding a value is a schema change.
 */
public enum IncidentType {
  /** An account desired ACTIVE has not been CONNECTED for longer than the guard's threshold. */
  DISCONNECTED("disconnected"),
  /** The connector reconnected one account too often in a short time. */
  RECONNECT_LOOP("reconnect-loop"),
  /** WhatsApp refused the account's credentials; it needs a new pairing. */
  LOGGED_OUT("logged-out"),
  /** The account's phone has not been seen online for a long time. */
  PHONE_OFFLINE("phone-offline"),
  /** No connector instance has beaten recently. */
  CONNECTOR_DOWN("connector-down"),
  /** The latest probes of one type failed twice or more in a row; the subject is the probe type. */
  PROBE_FAILING("probe-failing");

  private final String wireName;

  IncidentType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
