package io.wafleet.common.store;

/** A value that must become a Firestore document id does not qualify. Names the field. */
public final class InvalidDocumentIdException extends IllegalArgumentException {

  private final String field;

  public InvalidDocumentIdException(String field, String problem) {
    super(field + " " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
