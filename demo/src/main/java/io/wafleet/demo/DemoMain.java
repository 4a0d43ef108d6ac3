package io.wafleet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import io.wafleet.simulator.admin.SimulatorAdminException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./wafleet demo}: the fleet story through the real parts of the local stack. Three accounts
 * are created through the HTTP API; simulated phones scan their QR codes (one is drawn in the
 * terminal); messages go out through the API's outbox to a customer's simulated phone and the
 * customer's answer lands in the account's thread; the connector is killed with kill -9 and its
 * replacement brings every account back from the stored sessions with no QR; finally a phone
 * removes its linked device and the account shows LOGGED_OUT with a fresh QR. Prints a narrative
 * for a person, not logs.
 *
 * <p>Usage: {@code DemoMain --api URL --sim-admin URL --connector-pid-file FILE}, with
 * {@code WAFLEET_ADMIN_TOKEN} in the environment (./wafleet demo passes all of it).
 */
public final class DemoMain {

  static final String TOKEN_ENV = "WAFLEET_ADMIN_TOKEN";
  static final List<String> SHOPS = List.of("Bakery", "Bike shop", "Florist");
  static final List<String> PHONES = List.of("40770000001", "40770000002", "40770000003");
  static final String CUSTOMER = "40770000099";
  static final String ORDER_TEXT = "Hello from wafleet! Your order has shipped.";
  static final String REPLY_TEXT = "Thanks! When will it arrive?";
  private static final Duration WAIT = Duration.ofSeconds(300);
  private static final Duration QR_ASK_AGAIN = Duration.ofSeconds(20);

  private final ApiClient api;
  private final SimulatorAdminClient phones;
  private final LocalConnector connector;

  DemoMain(ApiClient api, SimulatorAdminClient phones, LocalConnector connector) {
    this.api = api;
    this.phones = phones;
    this.connector = connector;
  }

  public static void main(String[] args) throws Exception {
    DemoArgs parsed = DemoArgs.parse(args);
    String token = System.getenv(TOKEN_ENV);
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException(TOKEN_ENV + " is required (./wafleet demo sets it)");
    }
    new DemoMain(new ApiClient(parsed.api(), token), new SimulatorAdminClient(parsed.simulatorAdmin()),
        new LocalConnector(parsed.connectorPidFile())).run();
  }

  /** The story; returns the ids of the accounts it created. */
  List<String> run() throws Exception {
    step("wafleet keeps WhatsApp accounts connected. Each account is a business's WhatsApp number; wafleet"
        + " joins it as a \"linked device\", like WhatsApp Web, and holds that connection for it.");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < SHOPS.size(); i++) {
      JsonNode created = ApiClient.expect(201, "POST /v1/accounts", api.post("/v1/accounts",
          Map.of("name", SHOPS.get(i), "phone", "+" + PHONES.get(i))));
      ids.add(created.path("id").asText());
      step("created account \"" + SHOPS.get(i) + "\" (phone " + created.path("phoneMasked").asText()
          + ") through the API: status " + created.path("status").asText());
    }
    step("the connector (the service that holds one WhatsApp connection per account) picks up new accounts"
        + " and asks WhatsApp for a QR code for each: the code a phone scans to link a device");
    for (int i = 0; i < ids.size(); i++) {
      pair(ids.get(i), PHONES.get(i), SHOPS.get(i), i == 0);
    }
    exchangeMessages(ids.get(0), PHONES.get(0));
    restartConnector(ids);
    unlink(ids.get(2), PHONES.get(2), SHOPS.get(2));
    step("done: the three accounts and their messages are in the API and on the dashboard.");
    return ids;
  }

  private void pair(String id, String phone, String shop, boolean show) throws Exception {
    phones.ensurePhone(phone);
    boolean shown = !show;
    while (true) {
      JsonNode qr = awaitQr(id);
      if (!shown) {
        step("the QR code of \"" + shop + "\" (GET /v1/accounts/{id}/qr; a person scans it in WhatsApp under"
            + " Settings > Linked devices > Link a device; it changes every 20 s or so until scanned):");
        System.out.println(TerminalQr.render(qr.path("qr").asText()));
        shown = true;
      }
      try {
        phones.scan(phone, qr.path("qr").asText());
        break;
      } catch (SimulatorAdminException e) {
        if (e.status() != 410) {
          throw e;
        }
        // The code rotated between reading and scanning: scan the one shown now, as a person would.
      }
    }
    JsonNode up = awaitAccount(id, a -> "CONNECTED".equals(a.path("status").asText()), "CONNECTED");
    step("the simulated phone of \"" + shop + "\" scanned its QR: the account is " + up.path("status").asText()
        + " (WhatsApp asks every newly linked device to reconnect once; the connector did that by itself)");
  }

  private void exchangeMessages(String id, String phone) throws Exception {
    phones.ensurePhone(CUSTOMER);
    JsonNode queued = ApiClient.expect(202, "POST /v1/messages", api.post("/v1/messages",
        Map.of("accountId", id, "to", "+" + CUSTOMER, "text", ORDER_TEXT, "idempotencyKey", "demo-order-1")));
    String outboxId = queued.path("id").asText();
    step("queued a text to a customer through the API (POST /v1/messages): " + queued.path("status").asText()
        + "; the connector sends it, end-to-end encrypted, and follows its receipts");
    JsonNode delivered = awaitJson("GET /v1/messages/" + outboxId, "/v1/messages/" + outboxId,
        m -> List.of("DELIVERED", "READ").contains(m.path("status").asText()), "DELIVERED");
    step("the message is " + delivered.path("status").asText() + ": the customer's phone confirmed it got it;"
        + " the phone shows \"" + phones.inboxTexts(CUSTOMER).get(0) + "\"");
    phones.send(CUSTOMER, phone + "@s.whatsapp.net", REPLY_TEXT);
    step("the customer answers from their phone");
    JsonNode stored = awaitInbound(id);
    step("the answer is stored in the account's conversation (GET /v1/threads/{id}/messages): \""
        + stored.path("text").asText() + "\"; only after storing it did the connector confirm receipt to WhatsApp,"
        + " so a crash cannot lose it");
  }

  private void restartConnector(List<String> ids) throws Exception {
    long registrations = phones.stats().path("registrations").asLong();
    long old = connector.pid();
    Instant killedAt = Instant.now();
    long started = System.nanoTime();
    connector.kill(old);
    step("kill -9 of the connector (pid " + old + "): every connection drops at once, nothing is handed over");
    long replacement = connector.awaitReplacement(old, WAIT);
    step("a new connector process started (pid " + replacement + "), as Cloud Run starts a new instance. It"
        + " waits until the dead one's lease has run out, so an account is never held by two processes,"
        + " then reads each account's stored session (encrypted in Firestore) and logs in");
    for (String id : ids) {
      awaitAccount(id, a -> "CONNECTED".equals(a.path("status").asText()) && a.hasNonNull("connectedAt")
          && !Instant.parse(a.path("connectedAt").asText()).isBefore(killedAt), "CONNECTED again");
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    long newRegistrations = phones.stats().path("registrations").asLong() - registrations;
    step("all " + ids.size() + " accounts are CONNECTED again " + String.format("%.1f", ms / 1000.0)
        + " s after the kill, with " + (newRegistrations == 0 ? "no QR code: nobody had to scan anything"
        : newRegistrations + " new QR registration(s)"));
    if (newRegistrations != 0) {
      throw new IllegalStateException("the restart needed " + newRegistrations + " new registration(s)");
    }
  }

  private void unlink(String id, String phone, String shop) throws Exception {
    List<String> linked = phones.devices(phone).stream().filter(jid -> jid.matches("\\d+:[1-9]\\d*@.*")).toList();
    for (String device : linked) {
      phones.logout(device);
    }
    step("the owner of \"" + shop + "\" removed wafleet from the phone's linked devices (Linked devices > Log out)");
    JsonNode out = awaitAccount(id, a -> "LOGGED_OUT".equals(a.path("status").asText()), "LOGGED_OUT");
    step("the account is " + out.path("status").asText() + " (" + out.path("lastDisconnectReason").asText()
        + "): only a new scan can bring it back, so retrying would not help");
    JsonNode open = ApiClient.expect(200, "GET /v1/admin/incidents", api.get("/v1/admin/incidents?state=OPEN&limit=100"));
    List<String> about = new ArrayList<>();
    open.path("items").forEach(i -> {
      if (id.equals(i.path("subject").asText())) {
        about.add(i.path("type").asText() + " since " + i.path("openedAt").asText());
      }
    });
    step(about.isEmpty() ? "open incidents for it: none yet. The connector does not open the logged-out incident"
        + " yet; the disconnect guard opens a \"disconnected\" incident once the account has been down for 10"
        + " minutes (WAFLEET_DISCONNECT_INCIDENT_MINUTES) and alerts" : "open incident(s) for it: " + String.join(", ", about));
    JsonNode qr = awaitQr(id);
    step("a fresh QR code is ready for it (valid until " + qr.path("expiresAt").asText() + "): scanning it pairs"
        + " the account again");
  }

  private JsonNode awaitQr(String id) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    long pendingSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      ApiClient.Reply reply = api.get("/v1/accounts/" + id + "/qr?format=json");
      if (reply.status() == 200) {
        return reply.body();
      }
      if (reply.status() != 202) {
        throw new IllegalStateException("GET /v1/accounts/" + id + "/qr answered " + reply.status() + ": " + reply.body());
      }
      // When nobody scans, the connector stops offering codes and waits in NEEDS_QR until asked again
      // (the reconnect command); on a slow machine that can happen before the phone gets to scan.
      if (System.nanoTime() - pendingSince > QR_ASK_AGAIN.toNanos()) {
        if ("NEEDS_QR".equals(api.get("/v1/accounts/" + id).body().path("status").asText())) {
          api.post("/v1/accounts/" + id + "/reconnect");
        }
        pendingSince = System.nanoTime();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no QR for account " + id + " within " + WAIT.toSeconds()
        + " s: is the connector running (.wafleet/run/connector.log)?");
  }

  private JsonNode awaitInbound(String accountId) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode threads = ApiClient.expect(200, "GET /v1/threads", api.get("/v1/threads?accountId=" + accountId));
      for (JsonNode thread : threads.path("items")) {
        JsonNode messages = ApiClient.expect(200, "GET /v1/threads/{id}/messages",
            api.get("/v1/threads/" + thread.path("id").asText() + "/messages?limit=100"));
        for (JsonNode m : messages.path("items")) {
          if ("INBOUND".equals(m.path("direction").asText()) && REPLY_TEXT.equals(m.path("text").asText())) {
            return m;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the customer's answer was not stored within " + WAIT.toSeconds() + " s");
  }

  private JsonNode awaitAccount(String id, java.util.function.Predicate<JsonNode> done, String what) throws Exception {
    return awaitJson("GET /v1/accounts/" + id, "/v1/accounts/" + id, done, what);
  }

  private JsonNode awaitJson(String call, String path, java.util.function.Predicate<JsonNode> done, String what)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = ApiClient.expect(200, call, api.get(path));
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(call + " is not " + what + " within " + WAIT.toSeconds() + " s: " + last);
  }

  static void step(String text) {
    System.out.println("[demo] " + text);
  }
}
