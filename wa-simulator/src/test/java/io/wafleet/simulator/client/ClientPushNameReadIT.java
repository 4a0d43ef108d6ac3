package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.MessagingPeer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.NotConnectedException;
import io.wafleet.client.WaClient;
import io.wafleet.client.auth.DirectoryAuthState;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.event.ReceiptType;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wa-client and a simulated phone over real sockets (§9.1, §9.3, §9.5): the phone's push name
 * and both of its identities arrive on the client's messages, in PN and LID addressing; the
 * client keeps the PN ↔ LID mapping in its auth state (a new client over the same directory
 * still knows it); read receipts go both ways, one event / receipt entry per message id; bad
 * arguments to {@code markRead} are refused at the call.
 */
class ClientPushNameReadIT {

  private static final String OWNER = "40717000001";
  private static final String PHONE = "40717000002";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path authDir;

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private SimulatorAdminClient.CreatedPhone phone;
  private MessagingPeer client;

  @BeforeEach
  void start() throws Exception {
    sim = ClientSupport.startSimulator();
    admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone(OWNER, "Fleet Owner");
    phone = admin.createPhone(PHONE, "Customer");
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    sim.close();
  }

  @Test
  void pushNameAndBothIdentities_onIncomingMessages_mappingSurvivesARestart() throws Exception {
    client = paired();
    Jid phonePn = Jid.parse(phone.jid());
    Jid phoneLid = Jid.parse(phone.lid());
    assertEquals(Optional.empty(), client.client.phoneNumberOf(phoneLid));

    IncomingMessage byNumber = awaitFrom(admin.send(PHONE, OWNER + "@s.whatsapp.net", "hi"));
    assertEquals("Customer", byNumber.pushName());
    assertEquals(phonePn, byNumber.senderPn());
    assertEquals(phoneLid, byNumber.senderLid());
    assertEquals(Optional.of(phoneLid), client.client.lidOf(phonePn));
    assertEquals(Optional.of(phonePn), client.client.phoneNumberOf(phoneLid));

    admin.setPushName(PHONE, "Customer Two");
    String ownerLid = client.auth.credentials().lid().toNonDevice().toString();
    IncomingMessage byLid = awaitFrom(admin.send(PHONE, ownerLid, "by lid"));
    assertEquals("Customer Two", byLid.pushName());
    assertEquals(phoneLid.withDevice(0), byLid.sender());
    assertEquals(phonePn, byLid.senderPn());
    assertEquals(phoneLid, byLid.senderLid());
    assertEquals(phonePn, byLid.chat(), "a LID sender's chat is its phone number when known");

    client.close();
    client = null;
    WaClient reopened = WaClient.builder(DirectoryAuthState.open(authDir)).build();
    assertEquals(Optional.of(phoneLid), reopened.lidOf(phonePn), "kept in the auth directory");
    assertEquals(Optional.of(phonePn), reopened.phoneNumberOf(phoneLid));
    assertThrows(IllegalArgumentException.class, () -> reopened.lidOf(phoneLid));
    assertThrows(IllegalArgumentException.class, () -> reopened.phoneNumberOf(phonePn));
  }

  @Test
  void readReceipts_bothWays_onePerMessageId() throws Exception {
    client = paired();
    Jid phoneChat = Jid.of(PHONE, Jid.SERVER);
    List<MessageId> fromPhone = new ArrayList<>();
    for (String text : List.of("one", "two", "three")) {
      fromPhone.add(awaitFrom(admin.send(PHONE, OWNER + "@s.whatsapp.net", text)).id());
    }
    client.client.markRead(phoneChat, phoneChat, fromPhone).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    List<String> expected = fromPhone.stream().map(MessageId::value).toList();
    awaitUntil(() -> readAt(PHONE).equals(expected), WAIT,
        () -> "read receipts at the phone: " + receipts(PHONE));
    for (JsonNode receipt : admin.receipts(PHONE)) {
      if ("read".equals(receipt.path("type").asText())) {
        assertEquals(client.me().toString(), receipt.path("from").asText());
      }
    }

    List<MessageId> toPhone = new ArrayList<>();
    for (String text : List.of("a", "b")) {
      toPhone.add(client.client.sendText(phoneChat, text).get(WAIT.toSeconds(), TimeUnit.SECONDS)
          .id());
    }
    awaitUntil(() -> inboxHas(PHONE, toPhone), WAIT, () -> "client's texts at the phone");
    admin.markRead(PHONE, toPhone.stream().map(MessageId::value).toList());
    awaitUntil(() -> readEvents().equals(toPhone), WAIT,
        () -> "read events at the client: " + client.events.history());
    for (ReceiptReceived receipt : receiptEvents()) {
      if (receipt.type() == ReceiptType.READ) {
        assertEquals(Jid.of(PHONE, Jid.SERVER), receipt.from(), "the phone (device 0)");
      }
    }
  }

  @Test
  void markRead_badArguments_refusedAtTheCall_notConnected_failsTheFuture() throws Exception {
    client = paired();
    Jid chat = Jid.of(PHONE, Jid.SERVER);
    assertThrows(IllegalArgumentException.class, () -> client.client.markRead(chat, null, List.of()));
    List<MessageId> tooMany = new ArrayList<>();
    for (int i = 0; i <= WaClient.MAX_READ_IDS; i++) {
      tooMany.add(MessageId.derivedFrom("id" + i));
    }
    assertThrows(IllegalArgumentException.class, () -> client.client.markRead(chat, null, tooMany));
    assertThrows(IllegalArgumentException.class, () -> client.client.markRead(chat.withDevice(1),
        null, List.of(MessageId.derivedFrom("x"))));
    List<MessageId> withNull = new ArrayList<>();
    withNull.add(null);
    assertThrows(IllegalArgumentException.class, () -> client.client.markRead(chat, null, withNull));
    assertThrows(NullPointerException.class,
        () -> client.client.markRead(null, null, List.of(MessageId.derivedFrom("x"))));

    client.client.markRead(chat, null, List.of(MessageId.derivedFrom("never sent")))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    String check = admin.send(PHONE, OWNER + "@s.whatsapp.net", "still connected");
    awaitFrom(check);
    assertEquals(List.of(), readAt(PHONE), "a read receipt for an unknown id reaches nobody");

    client.client.close();
    ExecutionException closed = assertThrows(ExecutionException.class,
        () -> client.client.markRead(chat, null, List.of(MessageId.derivedFrom("x")))
            .get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(NotConnectedException.class, closed.getCause().getClass());
  }

  private MessagingPeer paired() throws Exception {
    MessagingPeer peer = new MessagingPeer(DirectoryAuthState.open(authDir), sim);
    ClientSupport.pair(peer.client, peer.events, admin, OWNER);
    ClientSupport.connectUntilOpen(peer.client, peer.events, 2);
    return peer;
  }

  private List<MessageId> readEvents() {
    return receiptEvents().stream()
        .filter(r -> r.type() == ReceiptType.READ).map(ReceiptReceived::id).toList();
  }

  private List<ReceiptReceived> receiptEvents() {
    return client.events.history().stream().filter(ReceiptReceived.class::isInstance)
        .map(ReceiptReceived.class::cast).toList();
  }

  private List<String> readAt(String number) {
    List<String> ids = new ArrayList<>();
    receipts(number).forEach(r -> {
      if ("read".equals(r.path("type").asText())) {
        ids.add(r.path("id").asText());
      }
    });
    return ids;
  }

  private JsonNode receipts(String number) {
    try {
      return admin.receipts(number);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean inboxHas(String number, List<MessageId> ids) {
    try {
      List<String> seen = new ArrayList<>();
      admin.inbox(number).forEach(entry -> seen.add(entry.path("id").asText()));
      return ids.stream().allMatch(id -> seen.contains(id.value()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private IncomingMessage awaitFrom(String id) {
    awaitUntil(() -> client.stored().stream().anyMatch(m -> m.id().value().equals(id)), WAIT,
        () -> "message " + id + "; events " + client.events.history());
    return client.stored().stream().filter(m -> m.id().value().equals(id)).findFirst()
        .orElseThrow();
  }
}
