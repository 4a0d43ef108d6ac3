package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.ClientSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wafleet.client.WaClient;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.proto.CertChain.NoiseCertificate.Details;
import io.wafleet.client.proto.CertChain.NoiseCertificate;
import io.wafleet.client.proto.CertChain;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Garbage from the server closes the client with BAD_SESSION (an unsigned certificate chain with
 * UNTRUSTED_SERVER) and a clear detail: no hang, no
 * exception escaping, no thread left.
 */
class ClientBadInputIT {

  private ScriptedServer server;
  private WaClient client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.shutdown();
    }
    ClientSupport.assertNoClientThreads();
  }

  @Test
  void garbageInsteadOfServerHello_handshakeFails() throws Exception {
    Disconnected d = run((s, i, frame) -> s.sendFrame(new byte[] {(byte) 0xFF, 0x13, 0x37, 0x00}));
    assertBadSession(d, "handshake failed");
  }

  @Test
  void zeroLengthFrame_badFrame() throws Exception {
    Disconnected d = run((s, i, frame) -> s.sendRaw(new byte[] {0, 0, 0, 1, 2, 3}));
    assertBadSession(d, "bad frame");
  }

  @Test
  void oversizedFrameLength_rejectedBeforeBuffering() throws Exception {
    Disconnected d = run((s, i, frame) -> s.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1}));
    assertBadSession(d, "oversized frame");
  }

  @Test
  void tamperedServerHello_handshakeFails() throws Exception {
    Disconnected d = run((s, i, frame) -> {
      ScriptedServer tamper = s;
      io.wafleet.client.transport.NoiseHandshake responder =
          io.wafleet.client.transport.NoiseHandshake.responder(Curve25519.generateKeyPair());
      responder.readClientHello(frame);
      byte[] hello = responder.writeServerHello(new byte[] {1, 2, 3});
      hello[hello.length - 1] ^= 0x55;   // breaks the GCM tag of the certificate payload
      tamper.sendFrame(hello);
    });
    assertBadSession(d, "handshake failed");
  }

  @Test
  void certificateWithWrongIssuerAndNoSignature_untrustedServer() throws Exception {
    Disconnected d = run((s, i, frame) -> {
      Details details = Details.newBuilder().setSerial(1).setIssuerSerial(7)
          .setKey(ByteString.copyFrom(new byte[32])).build();
      NoiseCertificate cert = NoiseCertificate.newBuilder().setDetails(details.toByteString())
          .setSignature(ByteString.copyFrom(new byte[64])).build();
      s.answerHello(frame, CertChain.newBuilder().setIntermediate(cert).setLeaf(cert).build());
    });
    assertEquals(DisconnectReason.UNTRUSTED_SERVER, d.reason(), d.toString());
    assertEquals("server certificate rejected: intermediate certificate signature is invalid",
        d.detail());
  }

  @Test
  void undecryptableFrameAfterHandshake_noiseFails() throws Exception {
    Disconnected d = run(afterHandshake(s -> s.sendFrame(new byte[40])));
    assertBadSession(d, "noise decrypt failed");
  }

  @Test
  void unknownTokenAfterHandshake_malformedNode() throws Exception {
    // tag byte 240 is neither a token nor a wire tag (§4.4)
    Disconnected d = run(afterHandshake(s -> s.sendEncrypted(new byte[] {0, (byte) 0xF8, 1, (byte) 0xF0})));
    assertBadSession(d, "malformed node: unknown tag byte 240");
  }

  @Test
  void truncatedNodeAfterHandshake_malformedNode() throws Exception {
    Disconnected d = run(afterHandshake(s -> s.sendEncrypted(new byte[] {0, (byte) 0xF8, 5, 0x4C})));
    assertBadSession(d, "malformed node");
  }

  @Test
  void serverSilentAfterUpgrade_connectTimesOutInHandshake() throws Exception {
    server = ScriptedServer.startWith((s, i, frame) -> { });
    EventRecorder events = new EventRecorder();
    client = WaClient.builder(InMemoryAuthState.create()).serverUri(server.uri()).listener(events)
        .connectTimeout(Duration.ofMillis(400)).build();
    client.connect();
    Disconnected d = events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.TIMED_OUT, d.reason(), d.toString());
    assertTrue(d.detail().contains("HANDSHAKING"), d.detail());
  }

  @Test
  void http403InsteadOfUpgrade_unknownNotLoggedOut() throws Exception {
    try (java.net.ServerSocket http = new java.net.ServerSocket(0, 5,
        java.net.InetAddress.getLoopbackAddress())) {
      Thread responder = new Thread(() -> {
        try (java.net.Socket socket = http.accept()) {
          socket.getInputStream().read(new byte[4096]);
          socket.getOutputStream().write(
              "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
        } catch (java.io.IOException e) {
          // the test fails on the missing event instead
        }
      });
      responder.setDaemon(true);
      responder.start();
      EventRecorder events = new EventRecorder();
      client = WaClient.builder(InMemoryAuthState.create())
          .serverUri(java.net.URI.create("ws://127.0.0.1:" + http.getLocalPort() + "/ws/chat"))
          .listener(events).connectTimeout(Duration.ofSeconds(5)).build();
      client.connect();
      Disconnected d = events.await(Disconnected.class, WAIT);
      assertEquals(DisconnectReason.UNKNOWN, d.reason(), d.toString());
      assertEquals(403, d.rawCode());
      events.assertNoMoreEvents(Duration.ofMillis(200));
    }
  }

  @Test
  void serverClosesWebSocket_connectionClosed() throws Exception {
    Disconnected d = run(afterHandshake(s -> s.getConnections().forEach(c -> c.close(1000, "bye"))));
    assertEquals(DisconnectReason.CONNECTION_CLOSED, d.reason(), d.toString());
    assertEquals(428, d.rawCode());
  }

  private interface AfterHandshake {
    void send(ScriptedServer server) throws Exception;
  }

  private static ScriptedServer.Script afterHandshake(AfterHandshake then) {
    return (s, i, frame) -> {
      if (i == 0) {
        s.answerHello(frame);
      } else if (i == 1) {
        s.acceptFinish(frame);
        then.send(s);
      }
    };
  }

  private Disconnected run(ScriptedServer.Script script) throws Exception {
    server = ScriptedServer.startWith(script);
    EventRecorder events = new EventRecorder();
    client = WaClient.builder(InMemoryAuthState.create()).serverUri(server.uri()).listener(events)
        .certificateVerifier(server.trustedVerifier())
        .connectTimeout(Duration.ofSeconds(5)).build();
    client.connect();
    Disconnected d = events.await(Disconnected.class, WAIT);
    events.assertNoMoreEvents(Duration.ofMillis(200));
    return d;
  }

  private static void assertBadSession(Disconnected d, String detailPrefix) {
    assertEquals(DisconnectReason.BAD_SESSION, d.reason(), d.toString());
    assertTrue(d.detail().startsWith(detailPrefix), d.detail());
  }
}
