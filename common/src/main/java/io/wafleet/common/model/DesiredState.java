package io.wafleet.common.model;

/** What the operator wants for an account. Only the API (functions) writes it. */
public enum DesiredState {
  ACTIVE,
  STOPPED,
  DELETED
}
