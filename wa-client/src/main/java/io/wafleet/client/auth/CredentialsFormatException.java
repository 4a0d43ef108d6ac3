package io.wafleet.client.auth;

/** Stored credential bytes could not be parsed (corrupt, truncated or of an unknown version). */
public final class CredentialsFormatException extends Exception {

  private static final long serialVersionUID = 1L;

  public CredentialsFormatException(String message) {
    super(message);
  }

  public CredentialsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
