package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.ClientSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.WaClient;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.event.Connected;
import io.wafleet.client.event.CredentialsUpdated;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.LoggedOut;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.model.Jid;
import io.wafleet.client.proto.ClientPayload;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The login side of the protocol against a scripted server that checks what the client sends
 * (§3.3, §7.1–§7.6). The server answers at once after ClientFinish (no §1.4 delay), which a
 * client that switched to transport mode late would lose.
 */
class ClientLoginFlowIT {

  private static final Jid ME = Jid.parse("40700000020:4@s.whatsapp.net");
  private static final String LID = "100000000000020:4@lid";

  private final BlockingQueue<Node> received = new LinkedBlockingQueue<>();
  private volatile ClientPayload payload;
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
  void login_lowPreKeyCount_uploadsFiveThenOpensAndPings() throws Exception {
    InMemoryAuthState auth = paired();
    EventRecorder events = start(auth, success(), iq -> answer(iq, "3"),
        b -> b.keepAliveInterval(Duration.ofMillis(100)));
    Connected open = events.await(Connected.class, WAIT);
    assertEquals(ME, open.me());
    assertEquals(Jid.parse(LID), open.lid());
    assertEquals(Jid.parse(LID), auth.credentials().lid());

    assertEquals(40700000020L, payload.getUsername());
    assertEquals(4, payload.getDevice());
    assertTrue(payload.getPassive() && payload.getPull());

    Node count = next(n -> n.child("count") != null);
    assertEquals("encrypt", count.attr("xmlns"));
    assertEquals("get", count.attr("type"));
    Node upload = next(n -> n.child("list") != null);
    assertUpload(upload, auth.credentials(), 5);
    assertNotNull(next(n -> n.child("active") != null));
    assertNotNull(next(n -> n.child("digest") != null));
    Node ping = next(n -> "w:p".equals(n.attr("xmlns")));
    assertNotNull(ping.child("ping"));
    assertEquals("@s.whatsapp.net", ping.attr("to"));
    assertTrue(ping.attr("id").matches("\\d+\\.\\d+-\\d+"), ping.attr("id"));
    assertEquals(6, auth.credentials().firstUnuploadedPreKeyId());
  }

  @Test
  void login_countFails_skipsUploadAndStillOpens() throws Exception {
    InMemoryAuthState auth = paired();
    EventRecorder events = start(auth, success(), iq -> iq.child("count") != null
        ? Node.of("iq", Node.attrsOf("id", iq.attr("id"), "type", "error"),
            List.of(Node.of("error", Node.attrsOf("code", "500", "text", "internal"))))
        : answer(iq, "0"), b -> b);
    events.await(Connected.class, WAIT);
    assertEquals(1, auth.credentials().firstUnuploadedPreKeyId(), "nothing uploaded");
  }

  @Test
  void login_serverNeverAnswers_connectTimesOut() throws Exception {
    EventRecorder events = start(paired(), s -> { }, iq -> null,
        b -> b.connectTimeout(Duration.ofMillis(400)));
    Disconnected d = events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.TIMED_OUT, d.reason());
    assertTrue(d.detail().contains("LOGGING_IN"), d.detail());
  }

  @Test
  void login_successButQueriesNeverAnswered_givesUpWithinItsOwnDeadline() throws Exception {
    EventRecorder events = start(paired(), success(), iq -> null,
        b -> b.loginTimeout(Duration.ofMillis(400)).queryTimeout(Duration.ofMinutes(10)));
    Disconnected d = events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.TIMED_OUT, d.reason());
    assertEquals(408, d.rawCode());
    assertTrue(d.detail().contains("login got no answer"), d.detail());
    assertTrue(events.history().stream().noneMatch(Connected.class::isInstance),
        "never connected: " + events.history());
  }

  @Test
  void login_failure403_loggedOutForbidden() throws Exception {
    EventRecorder events = start(paired(),
        s -> s.sendNode(Node.of("failure", Node.attrsOf("reason", "403"))), iq -> null, b -> b);
    LoggedOut out = events.await(LoggedOut.class, WAIT);
    assertEquals(DisconnectReason.FORBIDDEN, out.reason());
  }

  @Test
  void downgradeWebclient_multideviceMismatch() throws Exception {
    EventRecorder events = start(paired(), s -> s.sendNode(Node.of("ib", Node.attrsOf(),
        List.of(Node.of("downgrade_webclient")))), iq -> null, b -> b);
    assertEquals(DisconnectReason.MULTIDEVICE_MISMATCH, events.await(Disconnected.class, WAIT).reason());
  }

  @Test
  void xmlStreamEnd_connectionClosed() throws Exception {
    EventRecorder events = start(paired(), s -> s.sendNode(Node.of("xmlstreamend")), iq -> null, b -> b);
    Disconnected d = events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.CONNECTION_CLOSED, d.reason());
    assertEquals(428, d.rawCode());
  }

  @Test
  void serverPing_isAnswered() throws Exception {
    start(paired(), s -> s.sendNode(Node.of("iq", Node.attrsOf("id", "srv-1", "type", "get",
        "xmlns", "urn:xmpp:ping", "from", "@s.whatsapp.net"), List.of(Node.of("ping")))),
        iq -> null, b -> b);
    Node pong = next(n -> "srv-1".equals(n.attr("id")));
    assertEquals("result", pong.attr("type"));
  }

  @Test
  void edgeRouting_storedAndSentInNextIntro() throws Exception {
    InMemoryAuthState auth = paired();
    byte[] routing = {1, 2, 3, 4};
    EventRecorder events = start(auth, s -> {
      success().accept(s);
      s.sendNode(Node.of("ib", Node.attrsOf(), List.of(Node.of("edge_routing", Node.attrsOf(),
          List.of(Node.of("routing_info", Node.attrsOf(), routing))))));
    }, iq -> answer(iq, "900"), b -> b);
    CredentialsUpdated updated = events.await(CredentialsUpdated.class, WAIT);
    while (updated.credentials().routingInfo() == null) {
      updated = events.await(CredentialsUpdated.class, WAIT);
    }
    assertArrayEquals(routing, auth.credentials().routingInfo());
    assertNull(server.routingInfo());
    client.close();
    client.connect();
    events.await(Connected.class, WAIT);
    assertArrayEquals(routing, server.routingInfo());
  }

  @Test
  void throwingListener_stillGetsEveryEvent() throws Exception {
    EventRecorder recorder = new EventRecorder();
    EventRecorder ignored = start(paired(), success(), iq -> answer(iq, "900"),
        b -> b.listener(event -> {
          recorder.onEvent(event);
          throw new IllegalStateException("listener bug");
        }));
    recorder.await(Connected.class, WAIT);
    client.close();
    recorder.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void sharedScheduler_usedAndLeftRunningAfterClose() throws Exception {
    java.util.concurrent.ScheduledExecutorService shared =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      EventRecorder events = start(paired(), success(), iq -> answer(iq, "900"),
          b -> b.scheduler(shared).keepAliveInterval(Duration.ofMillis(50)));
      events.await(Connected.class, WAIT);
      assertNotNull(next(n -> "w:p".equals(n.attr("xmlns"))), "pings scheduled on the shared scheduler");
      client.close();
      assertTrue(!shared.isShutdown());
    } finally {
      shared.shutdownNow();
    }
  }

  // ---- helpers ----

  private static InMemoryAuthState paired() {
    Credentials creds = Credentials.generate(new SecureRandom()).toBuilder()
        .me(ME).account(new byte[] {1}).build();
    return new InMemoryAuthState(creds);
  }

  private static Consumer<ScriptedServer> success() {
    return s -> s.sendNode(Node.of("success", Node.attrsOf("t", "1700000000", "lid", LID)));
  }

  /** The simulator's answers for the post-login iqs, with {@code count} pre-keys on the server. */
  private static Node answer(Node iq, String count) {
    String id = iq.attr("id");
    if (iq.child("count") != null) {
      return Node.of("iq", Node.attrsOf("id", id, "type", "result"),
          List.of(Node.of("count", Node.attrsOf("value", count))));
    }
    if (iq.child("digest") != null) {
      return Node.of("iq", Node.attrsOf("id", id, "type", "result"), List.of(Node.of("digest")));
    }
    return Node.of("iq", Node.attrsOf("id", id, "type", "result"));
  }

  private EventRecorder start(InMemoryAuthState auth, Consumer<ScriptedServer> afterFinish,
      Function<Node, Node> answers, Function<WaClient.Builder, WaClient.Builder> options)
      throws Exception {
    server = ScriptedServer.startWith((s, i, frame) -> {
      if (i == 0) {
        s.answerHello(frame);
      } else if (i == 1) {
        payload = s.acceptFinish(frame);
        afterFinish.accept(s);
      } else {
        Node node = s.decode(frame);
        received.add(node);
        Node reply = "iq".equals(node.tag()) ? answers.apply(node) : null;
        if (reply != null) {
          s.sendNode(reply);
        }
      }
    });
    EventRecorder events = new EventRecorder();
    client = options.apply(WaClient.builder(auth).serverUri(server.uri()).listener(events)
        .certificateVerifier(server.trustedVerifier())
        .connectTimeout(Duration.ofSeconds(5)).queryTimeout(Duration.ofSeconds(5))).build();
    client.connect();
    return events;
  }

  private Node next(java.util.function.Predicate<Node> matching) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Node node = received.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (node != null && matching.test(node)) {
        return node;
      }
    }
    throw new AssertionError("no matching node from the client within " + WAIT);
  }

  private static void assertUpload(Node upload, Credentials creds, int keys) {
    assertEquals("encrypt", upload.attr("xmlns"));
    assertEquals("set", upload.attr("type"));
    assertEquals(4, upload.child("registration").bytes().length);
    assertArrayEquals(new byte[] {5}, upload.child("type").bytes());
    assertArrayEquals(creds.signedIdentityKey().publicKey(), upload.child("identity").bytes());
    List<Node> list = upload.child("list").children("key");
    assertEquals(keys, list.size());
    assertArrayEquals(new byte[] {0, 0, 1}, list.get(0).child("id").bytes());
    assertEquals(32, list.get(0).child("value").bytes().length);
    Node skey = upload.child("skey");
    assertTrue(Curve25519.verify(creds.signedIdentityKey().publicKey(),
        Curve25519.withTypePrefix(skey.child("value").bytes()), skey.child("signature").bytes()));
  }
}
