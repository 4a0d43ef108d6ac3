package io.wafleet.client.auth;

import java.nio.file.Path;

/**
 * A stored credentials or key file exists but is not a complete, intact file of ours (truncated,
 * overwritten by something else, bit rot, or of an unknown format version). The device's state
 * cannot be trusted; the operator restores it from a backup or pairs the account again.
 */
public final class CorruptAuthFileException extends AuthStorageException {

  private static final long serialVersionUID = 1L;

  public CorruptAuthFileException(Path file, String message) {
    super(file, message, null);
  }

  public CorruptAuthFileException(Path file, String message, Throwable cause) {
    super(file, message, cause);
  }
}
