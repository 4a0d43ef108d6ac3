package io.wafleet.common.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A one-shot request from the API to the account's owner (reconnect, pairing code, logout). The
 * owner clears it once handled; intent that lasts (active/stopped/deleted) lives in
 * {@link DesiredState} instead.
 */
public record AccountCommand(Kind kind, Instant requestedAt) {
  public enum Kind {
    RECONNECT,
    PAIRING_CODE,
    LOGOUT
  }

  public AccountCommand {
    Objects.requireNonNull(kind, "kind == null");
    Objects.requireNonNull(requestedAt, "requestedAt == null");
  }
}
