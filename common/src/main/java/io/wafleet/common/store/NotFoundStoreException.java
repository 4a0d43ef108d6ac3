package io.wafleet.common.store;

/** An update or owner-only write named a document that does not exist. */
public final class NotFoundStoreException extends StoreException {
  private final String path;

  public NotFoundStoreException(String path) {
    super(path + " does not exist");
    this.path = path;
  }

  public String path() {
    return path;
  }
}
