package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.MessagingPeer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.IqErrorException;
import io.wafleet.client.SendRejectedException;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.GroupMetadata;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Groups end to end (docs/protocol.md §10.4, §10.7) over real sockets: wa-client (a companion of
 * phone P1), Baileys 7 (a companion of phone P2) and the simulated phone P3 in one group, texts in
 * every direction, group metadata with its refusals, and a removal after which the removed member
 * gets nothing while the others read on (the remaining senders use new keys).
 */
class ClientGroupIT {

  private static final String P1 = "40716000001";
  private static final String P2 = "40716000002";
  private static final String P3 = "40716000003";
  private static final String OUTSIDER = "40716000009";
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path temp;

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private MessagingPeer client;

  @BeforeEach
  void start() throws Exception {
    BaileysPeer.install();
    sim = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(sim.adminUri());
    for (String phone : List.of(P1, P2, P3, OUTSIDER)) {
      admin.createPhone(phone);
    }
    admin.setPushName(P1, "Fleet Desk");
    admin.setPushName(P2, "Baileys User");
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    sim.close();
  }

  @Test
  void clientBaileysAndPhone_groupTextsEveryWay_thenRemovedMemberGetsNothing() throws Exception {
    try (BaileysPeer baileys = new BaileysPeer("driver.mjs", sim.wsUri().toString(),
        temp.resolve("auth"), temp.resolve("baileys-stderr.log"), "7")) {
      String qr = baileys.await("qr", WAIT).path("qr").asText();
      SimulatorAdminClient.Reply scan = admin.post("phones/" + P2 + "/scan", Map.of("qr", qr));
      assertEquals(200, scan.status(), scan.body() + "\n" + baileys.stderr());
      Jid baileysDevice = Jid.parse(scan.body().path("deviceJid").asText());
      baileys.await("open", WAIT);
      client = new MessagingPeer(InMemoryAuthState.create(), sim);
      ClientSupport.pair(client.client, client.events, admin, P1);
      ClientSupport.connectUntilOpen(client.client, client.events, 2);

      Jid group = Jid.parse(admin.createGroup("Fleet and friends", P1, List.of(P2, P3)));

      // metadata
      GroupMetadata meta = client.client.groupMetadata(group).get(20, TimeUnit.SECONDS);
      assertEquals(group, meta.id());
      assertEquals("Fleet and friends", meta.subject());
      assertEquals(Jid.of(P1, Jid.SERVER), meta.creator());
      assertEquals(List.of(Jid.of(P1, Jid.SERVER), Jid.of(P2, Jid.SERVER),
          Jid.of(P3, Jid.SERVER)), meta.memberJids());
      assertTrue(meta.participants().get(0).superAdmin());
      assertFalse(meta.participants().get(1).admin());
      assertEquals("pn", meta.addressingMode());
      Jid outsiders = Jid.parse(admin.createGroup("Not ours", OUTSIDER, List.of(P3)));
      assertEquals(403, iqError(() -> client.client.groupMetadata(outsiders)
          .get(20, TimeUnit.SECONDS)).code());
      assertEquals(404, iqError(() -> client.client.groupMetadata(
          Jid.of(P1 + "-1", Jid.GROUP_SERVER)).get(20, TimeUnit.SECONDS)).code());
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> client.client.sendText(outsiders, "let me in").get(20, TimeUnit.SECONDS));
      assertEquals("403",
          assertInstanceOf(SendRejectedException.class, refused.getCause()).reason());

      // wa-client → group: Baileys and the phone read it
      MessageId c1 = client.client.sendText(group, "hello group from wa-client")
          .get(20, TimeUnit.SECONDS).id();
      JsonNode atBaileys = baileys.await("message",
          e -> c1.value().equals(e.path("id").asText()), WAIT);
      assertEquals("hello group from wa-client", atBaileys.path("text").asText(),
          atBaileys + "\n" + baileys.stderr());
      assertEquals(group.toString(), atBaileys.path("key").path("remoteJid").asText());
      assertEquals("Fleet Desk", atBaileys.path("pushName").asText());
      assertEquals("hello group from wa-client", awaitInbox(P3, c1.value()).path("text").asText());
      awaitUntil(() -> client.deliveredBy(c1, baileysDevice), WAIT,
          () -> "Baileys' group receipt; " + client.events.history());

      // Baileys → group: wa-client reads it with the group as chat and Baileys as author
      String b1 = baileysSend(baileys, group.toString(), "hello group from Baileys");
      IncomingMessage fromBaileys = awaitFrom(b1);
      assertEquals(new MessageContent.Text("hello group from Baileys"), fromBaileys.content());
      assertEquals(group, fromBaileys.chat());
      assertEquals(baileysDevice, fromBaileys.sender());
      assertEquals("skmsg", fromBaileys.encType());
      assertEquals("Baileys User", fromBaileys.pushName());
      assertEquals(Jid.of(P2, Jid.SERVER), fromBaileys.senderPn());
      JsonNode receipt = awaitGroupReceipt(baileys, b1, P1);
      assertTrue(receipt.path("receiptTimestamp").asLong() > 0, receipt.toString());

      // phone P3 → group: wa-client and Baileys read it
      String p1 = admin.send(P3, group.toString(), "hello group from P3");
      IncomingMessage fromPhone = awaitFrom(p1);
      assertEquals(new MessageContent.Text("hello group from P3"), fromPhone.content());
      assertEquals(group, fromPhone.chat());
      assertEquals(Jid.of(P3, 0, Jid.SERVER), fromPhone.sender());
      assertEquals("hello group from P3", baileys.await("message",
          e -> p1.equals(e.path("id").asText()), WAIT).path("text").asText());

      // a second round on the keys everyone has now
      MessageId c2 = client.client.sendText(group, "second from wa-client")
          .get(20, TimeUnit.SECONDS).id();
      assertEquals("second from wa-client", baileys.await("message",
          e -> c2.value().equals(e.path("id").asText()), WAIT).path("text").asText());
      assertEquals("second from wa-client", awaitInbox(P3, c2.value()).path("text").asText());

      // P3 is removed: what follows reaches the others only
      admin.changeParticipants(group.toString(), List.of(), List.of(P3));
      awaitUntil(() -> client.inbound.stream().anyMatch(n -> n.tag().equals("notification")
          && "w:gp2".equals(n.attr("type")) && n.child("remove") != null), WAIT,
          () -> "the removal notification");
      MessageId c3 = client.client.sendText(group, "after P3 left, from wa-client")
          .get(20, TimeUnit.SECONDS).id();
      assertEquals("after P3 left, from wa-client", baileys.await("message",
          e -> c3.value().equals(e.path("id").asText()), WAIT).path("text").asText());
      String b2 = baileysSend(baileys, group.toString(), "after P3 left, from Baileys");
      assertEquals(new MessageContent.Text("after P3 left, from Baileys"), awaitFrom(b2).content());
      assertFalse(admin.inbox(P3).toString().contains(c3.value()), "P3 got nothing after removal");
      assertFalse(admin.inbox(P3).toString().contains(b2), "P3 got nothing after removal");
      assertEquals(0, client.failures(), client.events.history().toString());
    }
  }

  private IncomingMessage awaitFrom(String id) {
    awaitUntil(() -> client.stored().stream().anyMatch(m -> m.id().value().equals(id)), WAIT,
        () -> "message " + id + "; events " + client.events.history());
    return client.stored().stream().filter(m -> m.id().value().equals(id)).findFirst()
        .orElseThrow();
  }

  private JsonNode awaitInbox(String phone, String id) {
    JsonNode[] found = new JsonNode[1];
    awaitUntil(() -> {
      try {
        for (JsonNode entry : admin.inbox(phone)) {
          if (id.equals(entry.path("id").asText())) {
            found[0] = entry;
            return true;
          }
        }
        return false;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, WAIT, () -> "inbox entry " + id + " at " + phone);
    return found[0];
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static IqErrorException iqError(Call call) {
    ExecutionException e = assertThrows(ExecutionException.class, call::run);
    return assertInstanceOf(IqErrorException.class, e.getCause());
  }

  private static String baileysSend(BaileysPeer baileys, String to, String text)
      throws Exception {
    long before = sentEvents(baileys).size();
    baileys.command(Map.of("cmd", "send", "to", to, "text", text));
    awaitUntil(() -> sentEvents(baileys).size() > before, WAIT, baileys::stderr);
    return sentEvents(baileys).get((int) before).path("id").asText();
  }

  private static List<JsonNode> sentEvents(BaileysPeer baileys) {
    return baileys.events().stream().filter(e -> "sent".equals(e.path("event").asText()))
        .toList();
  }

  /**
   * Baileys' receipt of its own group message {@code id} by a device of {@code user}. Baileys' event
   * buffer merges a receipt into the buffered upsert of its message instead of emitting it (Baileys
   * Utils/event-buffer.js, case 'message-receipt.update'), so it arrives either as a receipt event
   * or in the userReceipt of that message's upsert, depending on whether a buffer was open.
   */
  private static JsonNode awaitGroupReceipt(BaileysPeer baileys, String id, String user) {
    try {
      return Awaitility.await("Baileys' receipt of " + id + " by " + user).atMost(WAIT)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> groupReceipt(baileys, id, user), Optional::isPresent).orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; events " + baileys.events(), e);
    }
  }

  private static Optional<JsonNode> groupReceipt(BaileysPeer baileys, String id, String user) {
    for (JsonNode event : baileys.events()) {
      if (!id.equals(event.path("id").asText())) {
        continue;
      }
      String name = event.path("event").asText();
      if (name.equals("receipt") && event.path("userJid").asText().startsWith(user)) {
        return Optional.of(event);
      }
      if (name.equals("message")) {
        for (JsonNode merged : event.path("userReceipt")) {
          if (merged.path("userJid").asText().startsWith(user)) {
            return Optional.of(merged);
          }
        }
      }
    }
    return Optional.empty();
  }
}
