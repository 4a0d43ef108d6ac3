package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.ClientSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.ConnectionState;
import io.wafleet.client.PairingCode;
import io.wafleet.client.PairingCodeError;
import io.wafleet.client.WaClient;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.event.PairingCodeFailed;
import io.wafleet.client.event.QrCodeUpdated;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed pairing-code frames from a scripted server (§6.7): each gives a typed
 * {@code PairingCodeFailed} with the reason, and the registration goes on — no crash, no hang.
 */
class ClientPairingCodeBadInputIT {

  private static final String REF = "2@scripted-ref";

  private ScriptedServer server;
  private WaClient client;
  private final BlockingQueue<Node> fromClient = new LinkedBlockingQueue<>();

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
  void malformedNotifications_typedBadServerMessage_thenAnUnopenableBundleIsRejectedByTheServer()
      throws Exception {
    server = ScriptedServer.startWith((s, i, frame) -> {
      if (i == 0) {
        s.answerHello(frame);
      } else if (i == 1) {
        s.acceptFinish(frame);
        s.sendNode(Node.of("iq", Node.attrsOf("from", "@s.whatsapp.net", "type", "set",
            "id", "pd-1", "xmlns", "md"), List.of(Node.of("pair-device", Map.of(), List.of(
                Node.of("ref", Map.of(), REF.getBytes(StandardCharsets.UTF_8)))))));
      } else {
        Node node = s.decode(frame);
        fromClient.add(node);
        Node reg = node.child("link_code_companion_reg");
        if (reg != null && "companion_hello".equals(reg.attr("stage"))) {
          s.sendNode(Node.of("iq", Node.attrsOf("from", "@s.whatsapp.net", "type", "result",
              "id", node.attr("id")), List.of(Node.of("link_code_companion_reg", Map.of(),
                  List.of(Node.of("link_code_pairing_ref", Map.of(),
                      REF.getBytes(StandardCharsets.UTF_8)))))));
        } else if (reg != null && "companion_finish".equals(reg.attr("stage"))) {
          s.sendNode(Node.of("iq", Node.attrsOf("from", "@s.whatsapp.net", "type", "error",
              "id", node.attr("id")), List.of(Node.of("error",
                  Node.attrsOf("code", "500", "text", "internal-server-error")))));
        }
      }
    });
    EventRecorder events = new EventRecorder();
    client = WaClient.builder(InMemoryAuthState.create()).serverUri(server.uri()).listener(events)
        .certificateVerifier(server.trustedVerifier())
        .connectTimeout(Duration.ofSeconds(5)).queryTimeout(Duration.ofSeconds(10)).build();
    client.connect();
    events.await(QrCodeUpdated.class, WAIT);
    PairingCode code = client.requestPairingCode("40714000001").get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals("40714000001", code.phone().user());

    byte[] identity = Curve25519.generateKeyPair().publicKey();
    byte[] wrapped = random(80);
    server.sendNode(notification(REF, identity, java.util.Arrays.copyOf(wrapped, 79)));
    assertBad(events, "link_code_pairing_wrapped_primary_ephemeral_pub has 79 bytes, not 80");
    server.sendNode(notification(REF, null, wrapped));
    assertBad(events, "notification lacks primary_identity_pub");
    server.sendNode(notification("2@another-ref", identity, wrapped));
    assertBad(events, "link_code_pairing_ref differs from the one the server issued");
    server.sendNode(notification(REF, random(31), wrapped));
    assertBad(events, "primary_identity_pub has 31 bytes, not 32");
    server.sendNode(Node.of("notification", Node.attrsOf("from", "@s.whatsapp.net", "id", "n-x",
        "type", "link_code_companion_reg")));
    assertBad(events, "notification lacks link_code_companion_reg");

    // Well-formed, but sealed under no code of ours: the client cannot tell (AES-CTR) and
    // answers; the server refuses the finish, which the client reports.
    server.sendNode(notification(REF, identity, wrapped));
    Node finish = awaitFinish();
    assertEquals(156, finish.child("link_code_companion_reg")
        .child("link_code_pairing_wrapped_key_bundle").bytes().length);
    PairingCodeFailed rejected = events.await(PairingCodeFailed.class, WAIT);
    assertEquals(PairingCodeError.REJECTED, rejected.error(), rejected.toString());
    assertEquals(ConnectionState.PAIRING, client.state(), "the registration goes on");
  }

  private Node awaitFinish() throws InterruptedException {
    while (true) {
      Node node = fromClient.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertTrue(node != null, "no companion_finish from the client");
      Node reg = node.child("link_code_companion_reg");
      if (reg != null && "companion_finish".equals(reg.attr("stage"))) {
        return node;
      }
    }
  }

  private static void assertBad(EventRecorder events, String detail) throws InterruptedException {
    PairingCodeFailed failed = events.await(PairingCodeFailed.class, WAIT);
    assertEquals(PairingCodeError.BAD_SERVER_MESSAGE, failed.error(), failed.toString());
    assertEquals(detail, failed.detail());
  }

  private static Node notification(String ref, byte[] primaryIdentity, byte[] wrapped) {
    List<Node> children = new java.util.ArrayList<>();
    children.add(Node.of("link_code_pairing_ref", Map.of(), ref.getBytes(StandardCharsets.UTF_8)));
    if (primaryIdentity != null) {
      children.add(Node.of("primary_identity_pub", Map.of(), primaryIdentity));
    }
    children.add(Node.of("link_code_pairing_wrapped_primary_ephemeral_pub", Map.of(), wrapped));
    return Node.of("notification", Node.attrsOf("from", "@s.whatsapp.net", "id", "n-" + ref.length(),
        "type", "link_code_companion_reg"), List.of(Node.of("link_code_companion_reg",
            Node.attrsOf("stage", "primary_hello"), children)));
  }

  private static byte[] random(int length) {
    byte[] out = new byte[length];
    new SecureRandom().nextBytes(out);
    return out;
  }
}
