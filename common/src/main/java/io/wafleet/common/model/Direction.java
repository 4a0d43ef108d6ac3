package io.wafleet.common.model;

public enum Direction {
  INBOUND,
  OUTBOUND
}
