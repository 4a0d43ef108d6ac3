package io.wafleet.common.model;

public enum IncidentState {
  OPEN,
  RESOLVED
}
