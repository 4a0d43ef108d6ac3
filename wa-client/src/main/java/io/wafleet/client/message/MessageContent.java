package io.wafleet.client.message;

import java.util.Objects;

/**
 * What a decrypted message carries, as far as wafleet understands it. Every message maps to exactly
 * one of these: nothing is dropped silently (issue: "every other type surfaces as unsupported").
 */
public sealed interface MessageContent {

  /** A text: {@code conversation} or {@code extendedTextMessage.text}. */
  record Text(String text) implements MessageContent {
    public Text {
      Objects.requireNonNull(text, "text == null");
    }

    /** Never prints the text. */
    @Override
    public String toString() {
      return "Text[" + text.length() + " chars]";
    }
  }

  /** A content type wafleet does not handle yet (image, reaction, ...), named as WhatsApp names it. */
  record Unsupported(String type) implements MessageContent {
    public Unsupported {
      Objects.requireNonNull(type, "type == null");
    }
  }

  /**
   * Protocol traffic with no user-visible content (sender-key distribution, context info alone,
   * protocol messages): consumed by the client, acknowledged, never shown as a message.
   */
  record Protocol(String type) implements MessageContent {
    public Protocol {
      Objects.requireNonNull(type, "type == null");
    }
  }
}
