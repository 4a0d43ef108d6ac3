package io.wafleet.client.event;

/**
 * What a receipt for one of our messages says (§9.5). The wire {@code type} attribute maps as:
 * none → {@link #DELIVERY}, {@code read} → {@link #READ}, {@code read-self} → {@link #READ_SELF},
 * {@code played} → {@link #PLAYED}, {@code sender} → {@link #SENDER}, {@code retry} →
 * {@link #RETRY}, {@code server-error} → {@link #SERVER_ERROR}, anything else → {@link #OTHER}.
 */
public enum ReceiptType {
  /** The recipient's device stored the message. */
  DELIVERY,
  /** The recipient read it. */
  READ,
  /** Read, with read receipts turned off on the reader's side. */
  READ_SELF,
  /** A voice or video message was played. */
  PLAYED,
  /** One of our own devices got its copy. */
  SENDER,
  /** A device could not decrypt it; the client resends to that device by itself (§9.4). */
  RETRY,
  /** The server could not deliver it. */
  SERVER_ERROR,
  /** Any other type, e.g. {@code inactive}; no status change. */
  OTHER;

  /** Maps a wire {@code type} (null when absent) as §9.5 does. */
  public static ReceiptType fromWire(String type) {
    if (type == null || type.isEmpty()) {
      return DELIVERY;
    }
    return switch (type) {
      case "read" -> READ;
      case "read-self" -> READ_SELF;
      case "played" -> PLAYED;
      case "sender" -> SENDER;
      case "retry" -> RETRY;
      case "server-error" -> SERVER_ERROR;
      default -> OTHER;
    };
  }
}
