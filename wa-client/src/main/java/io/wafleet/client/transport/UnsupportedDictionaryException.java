package io.wafleet.client.transport;

import java.util.Set;

/**
 * The client's intro header (§1.2) names a token dictionary version the reader does not serve.
 * The caller closes the connection. Immutable; thread-safe.
 */
public final class UnsupportedDictionaryException extends FrameException {

  private static final long serialVersionUID = 1L;

  private final int version;

  public UnsupportedDictionaryException(int version, Set<Integer> served) {
    super("intro header names dictionary version " + version + "; served: " + served);
    this.version = version;
  }

  /** The version byte the client sent. */
  public int version() {
    return version;
  }
}
