package io.wafleet.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.wafleet.client.crypto.Hex;
import io.wafleet.client.proto.ClientPayload;
import io.wafleet.client.proto.HandshakeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NoiseHandshakeTest {

  private static final byte[] PAYLOAD = ClientPayload.newBuilder()
      .setConnectType(ClientPayload.ConnectType.WIFI_UNKNOWN)
      .setConnectReason(ClientPayload.ConnectReason.USER_ACTIVATED)
      .setPassive(false)
      .build()
      .toByteArray();

  @Test
  void handshake_clientAndServer_agreeOnKeysPayloadAndTransport() throws Exception {
    NoiseHandshake client = NoiseHandshake.initiator(
        TestKeys.CLIENT_STATIC, new BaileysCompatibleCertificateVerifier());
    NoiseHandshake server = NoiseHandshake.responder(TestKeys.SERVER_STATIC);

    server.readClientHello(client.writeClientHello());
    ServerIdentity serverIdentity = client.readServerHello(
        server.writeServerHello(ServerCertificates.selfIssued(TestKeys.SERVER_STATIC).toByteArray()));
    ClientIdentity clientIdentity = server.readClientFinish(client.writeClientFinish(PAYLOAD));

    assertArrayEquals(TestKeys.SERVER_STATIC.publicKey(), serverIdentity.staticKey());
    assertEquals(0, serverIdentity.certChain().getIntermediate().getSignature().byteAt(0));
    assertArrayEquals(TestKeys.CLIENT_STATIC.publicKey(), clientIdentity.staticKey());
    assertEquals(ClientPayload.ConnectReason.USER_ACTIVATED,
        ClientPayload.parseFrom(clientIdentity.payload()).getConnectReason());
    assertEquals(NoiseHandshake.Step.SPLIT, client.step());
    assertEquals(NoiseHandshake.Step.SPLIT, server.step());
    exchange(client.split(), server.split());
    assertEquals(NoiseHandshake.Step.DONE, client.step());
  }

  @Test
  void transport_framesBothDirections_countersAdvancePerFrame() throws Exception {
    TransportCipher[] ciphers = new HandshakePair().complete(PAYLOAD);
    exchange(ciphers[0], ciphers[1]);
  }

  private static void exchange(TransportCipher client, TransportCipher server) throws Exception {
    for (int i = 0; i < 3; i++) {
      byte[] up = ("up " + i).getBytes(StandardCharsets.UTF_8);
      byte[] upFrame = client.encrypt(up);
      assertEquals(up.length + 16, upFrame.length);
      assertArrayEquals(up, server.decrypt(upFrame));
      byte[] down = ("down " + i).getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(down, client.decrypt(server.encrypt(down)));
    }
    assertEquals(3, client.sendCounter());
    assertEquals(3, client.receiveCounter());
    assertEquals(3, server.sendCounter());
    assertEquals(3, server.receiveCounter());
  }

  @Test
  void transport_samePlaintextTwice_differentCiphertexts() throws Exception {
    TransportCipher[] ciphers = new HandshakePair().complete(PAYLOAD);
    byte[] plaintext = {0, 1, 2};
    byte[] first = ciphers[0].encrypt(plaintext);
    byte[] second = ciphers[0].encrypt(plaintext);
    assertFalse(Arrays.equals(first, second));
    assertArrayEquals(plaintext, ciphers[1].decrypt(first));
    assertArrayEquals(plaintext, ciphers[1].decrypt(second));
  }

  @Test
  void firstMessage_withIntro_hasSection25Shape() {
    NoiseHandshake client = NoiseHandshake.initiator(
        TestKeys.CLIENT_STATIC, new BaileysCompatibleCertificateVerifier(), TestKeys.CLIENT_EPHEMERAL);
    byte[] message = FrameWriter.client().frame(client.writeClientHello());

    assertEquals(43, message.length);
    assertEquals("57410603" + "000024" + "12220a20" + Hex.encode(TestKeys.CLIENT_EPHEMERAL.publicKey()),
        Hex.encode(message));
  }

  @Test
  void readServerHello_anySingleByteFlipped_throwsNoiseException() throws Exception {
    byte[] serverHello = new HandshakePair().upToServerHello();
    for (int i = 0; i < serverHello.length; i++) {
      HandshakePair pair = new HandshakePair();
      pair.upToServerHello();
      byte[] tampered = flip(serverHello, i);
      assertThrows(NoiseException.class, () -> pair.client.readServerHello(tampered), "byte " + i);
      assertEquals(NoiseHandshake.Step.FAILED, pair.client.step());
    }
  }

  @Test
  void readClientFinish_anySingleByteFlipped_throwsNoiseException() throws Exception {
    HandshakePair reference = new HandshakePair();
    reference.client.readServerHello(reference.upToServerHello());
    byte[] clientFinish = reference.client.writeClientFinish(PAYLOAD);
    for (int i = 0; i < clientFinish.length; i++) {
      HandshakePair pair = new HandshakePair();
      pair.upToServerHello();
      byte[] tampered = flip(clientFinish, i);
      assertThrows(NoiseException.class, () -> pair.server.readClientFinish(tampered), "byte " + i);
      assertEquals(NoiseHandshake.Step.FAILED, pair.server.step());
    }
  }

  @Test
  void decrypt_tamperedOrShortTransportFrame_throwsNoiseException() throws Exception {
    TransportCipher[] ciphers = new HandshakePair().complete(PAYLOAD);
    byte[] frame = ciphers[0].encrypt(new byte[] {1, 2, 3});

    assertThrows(NoiseException.class, () -> ciphers[1].decrypt(flip(frame, 0)));
    assertThrows(NoiseException.class, () -> ciphers[1].decrypt(flip(frame, frame.length - 1)));
    assertThrows(NoiseException.class, () -> ciphers[1].decrypt(new byte[15]));
    assertThrows(NoiseException.class, () -> ciphers[1].decrypt(new byte[0]));
    assertEquals(0, ciphers[1].receiveCounter());
    assertArrayEquals(new byte[] {1, 2, 3}, ciphers[1].decrypt(frame));
  }

  @Test
  void decrypt_frameReplayedOrSkipped_throwsNoiseException() throws Exception {
    TransportCipher[] ciphers = new HandshakePair().complete(PAYLOAD);
    byte[] first = ciphers[1].encrypt(new byte[] {1});
    byte[] second = ciphers[1].encrypt(new byte[] {2});

    assertThrows(NoiseException.class, () -> ciphers[0].decrypt(second));
    ciphers[0].decrypt(first);
    assertThrows(NoiseException.class, () -> ciphers[0].decrypt(first));
  }

  @Test
  void readServerHello_missingFieldsOrWrongMessage_throwsNoiseException() throws Exception {
    HandshakePair pair = new HandshakePair();
    HandshakeMessage hello = HandshakeMessage.parseFrom(pair.upToServerHello());
    byte[] noPayload = hello.toBuilder()
        .setServerHello(hello.getServerHello().toBuilder().clearPayload()).build().toByteArray();
    assertThrows(NoiseException.class, () -> pair.client.readServerHello(noPayload));

    HandshakePair other = new HandshakePair();
    other.upToServerHello();
    byte[] clientHelloInstead = HandshakeMessage.newBuilder()
        .setClientHello(HandshakeMessage.ClientHello.newBuilder()
            .setEphemeral(ByteString.copyFrom(new byte[32]))).build().toByteArray();
    assertThrows(NoiseException.class, () -> other.client.readServerHello(clientHelloInstead));
  }

  @Test
  void readClientHello_shortEphemeral_throwsNoiseException() {
    NoiseHandshake server = NoiseHandshake.responder(TestKeys.SERVER_STATIC);
    byte[] hello = HandshakeMessage.newBuilder()
        .setClientHello(HandshakeMessage.ClientHello.newBuilder()
            .setEphemeral(ByteString.copyFrom(new byte[31]))).build().toByteArray();

    assertThrows(NoiseException.class, () -> server.readClientHello(hello));
    assertEquals(NoiseHandshake.Step.FAILED, server.step());
  }

  @Test
  void readServerHello_verifierRejects_throwsUntrustedServerAndFails() throws Exception {
    HandshakePair pair = new HandshakePair((chain, key) -> {
      throw new NoiseException("rejected by test");
    });
    byte[] hello = pair.upToServerHello();

    UntrustedServerException e =
        assertThrows(UntrustedServerException.class, () -> pair.client.readServerHello(hello));
    assertEquals("server certificate rejected: rejected by test", e.getMessage());
    assertThrows(IllegalStateException.class, () -> pair.client.writeClientFinish(PAYLOAD));
  }

  @Test
  void readServerHello_verifierThrowsRuntimeException_isUntrustedServerToo() throws Exception {
    HandshakePair pair = new HandshakePair((chain, key) -> {
      throw new IllegalArgumentException("bad key length");
    });
    byte[] hello = pair.upToServerHello();

    UntrustedServerException e =
        assertThrows(UntrustedServerException.class, () -> pair.client.readServerHello(hello));
    assertEquals("server certificate rejected: bad key length", e.getMessage());
  }

  @Test
  void readServerHello_tamperedStatic_isNoiseExceptionNotUntrustedServer() throws Exception {
    HandshakePair pair = new HandshakePair();
    byte[] hello = pair.upToServerHello();

    NoiseException e = assertThrows(NoiseException.class,
        () -> pair.client.readServerHello(flip(hello, hello.length - 1)));
    assertFalse(e instanceof UntrustedServerException, e.toString());
  }

  @Test
  void handshake_otherDictionaryIntroAsPrologueOnBothSides_completes() throws Exception {
    byte[] v2 = {0x57, 0x41, 0x06, 0x02};
    NoiseHandshake client = NoiseHandshake.initiator(
        TestKeys.CLIENT_STATIC, new BaileysCompatibleCertificateVerifier(), v2);
    NoiseHandshake server = NoiseHandshake.responder(TestKeys.SERVER_STATIC, v2);

    server.readClientHello(client.writeClientHello());
    client.readServerHello(
        server.writeServerHello(ServerCertificates.selfIssued(TestKeys.SERVER_STATIC).toByteArray()));
    server.readClientFinish(client.writeClientFinish(PAYLOAD));

    assertArrayEquals(client.handshakeHash(), server.handshakeHash());
    exchange(client.split(), server.split());
  }

  @Test
  void handshake_prologuesDiffer_clientRejectsServerHello() throws Exception {
    NoiseHandshake client = NoiseHandshake.initiator(
        TestKeys.CLIENT_STATIC, new BaileysCompatibleCertificateVerifier(),
        new byte[] {0x57, 0x41, 0x06, 0x02});
    NoiseHandshake server = NoiseHandshake.responder(TestKeys.SERVER_STATIC);

    server.readClientHello(client.writeClientHello());
    byte[] hello =
        server.writeServerHello(ServerCertificates.selfIssued(TestKeys.SERVER_STATIC).toByteArray());

    assertThrows(NoiseException.class, () -> client.readServerHello(hello));
  }

  static byte[] flip(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    copy[index] ^= 0x01;
    return copy;
  }
}
