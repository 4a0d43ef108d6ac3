package io.wafleet.common.store;

/** A create found the document already there. */
public final class AlreadyExistsStoreException extends StoreException {
  public AlreadyExistsStoreException(String path) {
    super(path + " already exists");
  }
}
