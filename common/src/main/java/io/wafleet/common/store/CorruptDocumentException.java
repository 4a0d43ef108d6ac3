package io.wafleet.common.store;

/**
 * A Firestore document does not have the shape wafleet writes (a field is missing or of the wrong
 * type). Raised instead of returning a half-read record, so bad data is reported, never trusted.
 */
public final class CorruptDocumentException extends StoreException {

  private final String path;
  private final String field;

  public CorruptDocumentException(String path, String field, String problem) {
    super(path + ": field '" + field + "' " + problem);
    this.path = path;
    this.field = field;
  }

  public String path() {
    return path;
  }

  public String field() {
    return field;
  }
}
