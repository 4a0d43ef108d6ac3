package io.wafleet.common.store;

/**
 * A write lost to concurrent writes of the same document on every attempt. Nothing was written;
 * the caller may retry after a short pause.
 */
public final class ContentionException extends StoreException {
  private final String path;

  public ContentionException(String path, int attempts) {
    super(path + " changed under " + attempts + " attempts to write it");
    this.path = path;
  }

  public String path() {
    return path;
  }
}
