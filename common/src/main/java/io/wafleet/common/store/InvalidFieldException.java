package io.wafleet.common.store;

/** A value a store depends on is missing or out of range. Names the field. */
public final class InvalidFieldException extends IllegalArgumentException {

  private final String field;

  public InvalidFieldException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
