package io.wafleet.client.binary;

/**
 * Thrown by {@link NodeDecoder} when bytes from the wire are not a valid node: truncated, an unknown
 * tag byte, a bad token index or nibble, an impossible length, nesting too deep, a corrupt or
 * oversized zlib stream. It is the only exception decoding throws. The frame cannot be understood:
 * the caller logs it (without the bytes) and drops the frame or closes the connection.
 */
public final class MalformedNodeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public MalformedNodeException(String message) {
    super(message);
  }

  public MalformedNodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
