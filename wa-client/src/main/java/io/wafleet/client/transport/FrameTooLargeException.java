package io.wafleet.client.transport;

/**
 * A frame header announced more bytes than the reader's limit; nothing of the frame was buffered.
 * The caller closes the connection. Immutable; thread-safe.
 */
public final class FrameTooLargeException extends FrameException {

  private static final long serialVersionUID = 1L;

  private final int length;
  private final int maxLength;

  public FrameTooLargeException(int length, int maxLength) {
    super("frame length " + length + " > max " + maxLength);
    this.length = length;
    this.maxLength = maxLength;
  }

  public int length() {
    return length;
  }

  public int maxLength() {
    return maxLength;
  }
}
