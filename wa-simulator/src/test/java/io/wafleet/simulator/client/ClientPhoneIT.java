package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.MessagingPeer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.SendResult;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A simulated phone (a real Signal peer inside the simulator) and a wa-client account linked to
 * another phone converse (§8–§10): the phone's first message is a pkmsg, the client answers with
 * msg on that session, and msg from then on; receipts both ways;
 * the same after the client restarts from its stored auth state.
 */
class ClientPhoneIT {

  private static final String OWNER = "40712000001";
  private static final String PHONE = "40712000002";
  private static final Duration WAIT = Duration.ofSeconds(20);

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private MessagingPeer client;
  private MessagingPeer restarted;

  @BeforeEach
  void start() throws Exception {
    sim = ClientSupport.startSimulator();
    admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone(OWNER);
    admin.createPhone(PHONE);
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (restarted != null) {
      restarted.close();
    }
    sim.close();
  }

  @Test
  void phoneAndClient_converse_pkmsgFirstThenMsg_alsoAfterRestart() throws Exception {
    client = new MessagingPeer(InMemoryAuthState.create(), sim);
    ClientSupport.pair(client.client, client.events, admin, OWNER);
    ClientSupport.connectUntilOpen(client.client, client.events, 2);
    Jid phoneChat = Jid.of(PHONE, Jid.SERVER);
    String ownerJid = OWNER + "@s.whatsapp.net";

    String p1 = admin.send(PHONE, ownerJid, "hello client");
    IncomingMessage in1 = awaitFrom(client, p1);
    assertEquals(new MessageContent.Text("hello client"), in1.content());
    assertEquals("pkmsg", in1.encType());
    assertEquals(phoneChat, in1.chat());
    assertEquals(Jid.of(PHONE, 0, Jid.SERVER), in1.sender());
    assertFalse(in1.fromMe());

    MessageId c1 = send(client, phoneChat, "hello phone");
    JsonNode at1 = awaitInbox(PHONE, c1.value());
    assertEquals("hello phone", at1.path("text").asText());
    assertEquals("msg", at1.path("type").asText(), "the client answers on the session the phone's "
        + "pkmsg started: its sender_lid names the LID the session is keyed by (§9.1)");
    assertEquals(client.me().toString(), at1.path("from").asText());
    awaitUntil(() -> client.deliveredBy(c1, Jid.of(PHONE, 0, Jid.SERVER)), WAIT,
        () -> "phone's delivery receipt");
    awaitReceipt(PHONE, p1);

    String p2 = admin.send(PHONE, ownerJid, "second from phone");
    assertEquals("msg", awaitFrom(client, p2).encType());
    MessageId c2 = send(client, phoneChat, "second from client");
    assertEquals("msg", awaitInbox(PHONE, c2.value()).path("type").asText());
    JsonNode ownCopy = awaitInbox(OWNER, c2.value());
    assertEquals("second from client", ownCopy.path("text").asText());
    assertEquals(PHONE + "@s.whatsapp.net", ownCopy.path("chat").asText(),
        "the owner's phone got the device-sent copy");

    // restart from the stored auth state: sessions continue with msg both ways
    byte[] credentials = client.auth.credentials().serialize();
    client.close();
    restarted = new MessagingPeer(new SharedKeysAuthState(credentials, client.auth.keys()),
        sim);
    client = null;
    ClientSupport.connectUntilOpen(restarted.client, restarted.events, 1);
    String p3 = admin.send(PHONE, ownerJid, "after restart");
    IncomingMessage in3 = awaitFrom(restarted, p3);
    assertEquals(new MessageContent.Text("after restart"), in3.content());
    assertEquals("msg", in3.encType());
    MessageId c3 = send(restarted, phoneChat, "client after restart");
    JsonNode at3 = awaitInbox(PHONE, c3.value());
    assertEquals("client after restart", at3.path("text").asText());
    assertEquals("msg", at3.path("type").asText());
    awaitReceipt(PHONE, p3);
    assertEquals(0, restarted.failures());
  }

  private static MessageId send(MessagingPeer peer, Jid to, String text) throws Exception {
    SendResult result = peer.client.sendText(to, text).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return result.id();
  }

  private static IncomingMessage awaitFrom(MessagingPeer peer, String id) throws Exception {
    awaitUntil(() -> peer.stored().stream().anyMatch(m -> m.id().value().equals(id)), WAIT,
        () -> "message " + id + "; events " + peer.events.history());
    return peer.stored().stream().filter(m -> m.id().value().equals(id)).findFirst().orElseThrow();
  }

  private JsonNode awaitInbox(String phone, String id) throws Exception {
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

  /** The phone got a delivery receipt for its message {@code id} from our client. */
  private void awaitReceipt(String phone, String id) throws Exception {
    awaitUntil(() -> {
      try {
        return admin.receipts(phone).toString().contains(id);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, WAIT, () -> "receipt for " + id + " at " + phone);
  }
}
