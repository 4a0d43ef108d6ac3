package io.wafleet.client.message;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.proto.Message;
import java.util.Map;
import java.util.Set;

/**
 * Parses the unpadded plaintext of a Signal message into {@link MessageContent}
 * (docs/protocol.md §9.2): unwraps a device-sent message, prefers text, and names any
 * other content by its WhatsApp field name. Stateless; thread-safe.
 */
public final class MessageContents {

  /** Fields that travel beside content, or carry only key material. */
  private static final Set<String> PROTOCOL_FIELDS = Set.of(
      "messageContextInfo", "senderKeyDistributionMessage", "fastRatchetKeySenderKeyDistributionMessage",
      "protocolMessage");

  private MessageContents() {}

  /** @throws InvalidProtocolBufferException when the bytes are not a Message */
  public static Parsed parse(byte[] plaintext) throws InvalidProtocolBufferException {
    Message message = Message.parseFrom(plaintext);
    String destination = null;
    if (message.hasDeviceSentMessage()) {
      destination = message.getDeviceSentMessage().getDestinationJid();
      message = message.getDeviceSentMessage().getMessage();
    }
    return new Parsed(classify(message), destination, message);
  }

  /**
   * The parsed message: its content, the chat it was sent to when it came from one of our own
   * devices (a device-sent message, §8.6), else null, and the inner Message.
   */
  public record Parsed(MessageContent content, String deviceSentDestination, Message message) {}

  static MessageContent classify(Message message) {
    if (message.hasConversation()) {
      return new MessageContent.Text(message.getConversation());
    }
    if (message.hasExtendedTextMessage() && message.getExtendedTextMessage().hasText()) {
      return new MessageContent.Text(message.getExtendedTextMessage().getText());
    }
    String protocolType = null;
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      String name = field.getKey().getName();
      if (!PROTOCOL_FIELDS.contains(name)) {
        return new MessageContent.Unsupported(name);
      }
      protocolType = protocolType == null ? name : protocolType;
    }
    if (!message.getUnknownFields().asMap().isEmpty()) {
      return new MessageContent.Unsupported("field-" + message.getUnknownFields().asMap().keySet().iterator().next());
    }
    return new MessageContent.Protocol(protocolType == null ? "empty" : protocolType);
  }
}
