package io.wafleet.client.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.wafleet.client.proto.Message;
import org.junit.jupiter.api.Test;

class MessageContentsTest {

  @Test
  void parse_conversation_isText() throws Exception {
    MessageContents.Parsed parsed = MessageContents.parse(Message.newBuilder().setConversation("hi").build().toByteArray());
    assertEquals(new MessageContent.Text("hi"), parsed.content());
    assertNull(parsed.deviceSentDestination());
  }

  @Test
  void parse_extendedText_isText() throws Exception {
    byte[] bytes = Message.newBuilder()
        .setExtendedTextMessage(Message.ExtendedTextMessage.newBuilder().setText("hello")).build().toByteArray();
    assertEquals(new MessageContent.Text("hello"), MessageContents.parse(bytes).content());
  }

  @Test
  void parse_deviceSent_unwrapsAndKeepsDestination() throws Exception {
    Message inner = Message.newBuilder().setConversation("from my phone").build();
    byte[] bytes = Message.newBuilder().setDeviceSentMessage(Message.DeviceSentMessage.newBuilder()
        .setDestinationJid("40711111111@s.whatsapp.net").setMessage(inner)).build().toByteArray();
    MessageContents.Parsed parsed = MessageContents.parse(bytes);
    assertEquals(new MessageContent.Text("from my phone"), parsed.content());
    assertEquals("40711111111@s.whatsapp.net", parsed.deviceSentDestination());
  }

  @Test
  void parse_image_isUnsupportedNamedByType() throws Exception {
    byte[] bytes = Message.newBuilder().setImageMessage(ByteString.copyFrom(new byte[] {10, 1, 65}))
        .setMessageContextInfo(ByteString.EMPTY).build().toByteArray();
    assertEquals(new MessageContent.Unsupported("imageMessage"), MessageContents.parse(bytes).content());
  }

  @Test
  void parse_unknownFieldNumber_isUnsupportedNotDropped() throws Exception {
    Message withUnknown = Message.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
        .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build()).build();
    assertEquals(new MessageContent.Unsupported("field-999"),
        MessageContents.parse(withUnknown.toByteArray()).content());
  }

  @Test
  void parse_senderKeyOnly_isProtocol() throws Exception {
    byte[] bytes = Message.newBuilder().setSenderKeyDistributionMessage(
        Message.SenderKeyDistributionMessage.newBuilder().setGroupId("g")).build().toByteArray();
    assertEquals(new MessageContent.Protocol("senderKeyDistributionMessage"), MessageContents.parse(bytes).content());
  }

  @Test
  void parse_garbage_throwsProtobufException() {
    assertThrows(InvalidProtocolBufferException.class, () -> MessageContents.parse(new byte[] {(byte) 0xff, 0x00}));
  }
}
