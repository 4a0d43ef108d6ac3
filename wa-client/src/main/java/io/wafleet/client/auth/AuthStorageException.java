package io.wafleet.client.auth;

import java.nio.file.Path;

/**
 * An {@link AuthState} could not read or write its storage. Thrown instead of returning stale or
 * empty data: a client that cannot load its credentials or keys must not carry on as a new device.
 */
public class AuthStorageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public AuthStorageException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
    this.file = file;
  }

  /** The file that could not be read or written. */
  public Path file() {
    return file;
  }
}
