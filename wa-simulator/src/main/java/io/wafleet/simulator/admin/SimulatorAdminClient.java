package io.wafleet.simulator.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A client of the simulator's admin HTTP API (wa-simulator/README.md, "Admin API"), for tests,
 * benchmarks and the demo: create and pair simulated phones, make them send, read what they
 * received, inject faults.
 *
 * <p>The named calls expect the endpoint's success status and throw {@link SimulatorAdminException}
 * (status, code, message, field) on any other answer; transport failures are {@link IOException}s.
 * {@link #get}, {@link #post} and {@link #postRaw} return any answer as a {@link Reply}, for tests of
 * the API's own error answers. Thread-safe.
 */
public final class SimulatorAdminClient {

  /** Timeout of one request when none is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  /** A status and the parsed JSON body (null when the body was empty). */
  public record Reply(int status, JsonNode body) {
  }

  /** {@code POST /phones}: the number, its user jid and its LID. */
  public record CreatedPhone(String phone, String jid, String lid) {
  }

  /** {@code POST /phones/{phone}/scan}: the newly linked device's jid and LID. */
  public record LinkedDevice(String deviceJid, String lid) {
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  /** {@code base} is the admin root, e.g. {@code http://127.0.0.1:8091/}. */
  public SimulatorAdminClient(URI base) {
    this(base, DEFAULT_TIMEOUT);
  }

  public SimulatorAdminClient(URI base, Duration timeout) {
    Objects.requireNonNull(base, "base == null");
    this.base = base.getPath().endsWith("/") ? base : URI.create(base + "/");
    this.timeout = Objects.requireNonNull(timeout, "timeout == null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout <= 0");
    }
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** {@code POST /phones}: a new simulated phone; 409 duplicate-phone if it exists. */
  public CreatedPhone createPhone(String phone) throws IOException, InterruptedException {
    JsonNode body = expect(201, "POST", "phones", post("phones", Map.of("phone", phone)));
    return new CreatedPhone(body.path("phone").asText(), body.path("jid").asText(), body.path("lid").asText());
  }

  /** Creates the phone unless it exists already (a simulator that outlives one run). */
  public void ensurePhone(String phone) throws IOException, InterruptedException {
    try {
      createPhone(phone);
    } catch (SimulatorAdminException e) {
      if (!"duplicate-phone".equals(e.code())) {
        throw e;
      }
    }
  }

  /** {@code POST /phones/{phone}/scan}: the phone scans a QR; answers once pair-success was sent. */
  public LinkedDevice scan(String phone, String qr) throws IOException, InterruptedException {
    String path = "phones/" + segment(phone) + "/scan";
    JsonNode body = expect(200, "POST", path, post(path, Map.of("qr", qr)));
    return new LinkedDevice(body.path("deviceJid").asText(), body.path("lid").asText());
  }

  /**
   * {@code POST /phones/{phone}/link-code}: the phone's user types a pairing code (§6.7); answers
   * once pair-success was sent. Throws {@link SimulatorAdminException} with code wrong-code (400),
   * bad-code (400), unknown-code (404), expired-code (410), too-many-attempts (429) or
   * code-conflict (409).
   */
  public LinkedDevice enterLinkCode(String phone, String code) throws IOException, InterruptedException {
    String path = "phones/" + segment(phone) + "/link-code";
    JsonNode body = expect(200, "POST", path, post(path, Map.of("code", code)));
    return new LinkedDevice(body.path("deviceJid").asText(), body.path("lid").asText());
  }

  /** {@code GET /phones/{phone}/devices}: the jids of the phone's linked devices. */
  public List<String> devices(String phone) throws IOException, InterruptedException {
    String path = "phones/" + segment(phone) + "/devices";
    List<String> jids = new ArrayList<>();
    expect(200, "GET", path, get(path)).path("devices").forEach(jid -> jids.add(jid.asText()));
    return jids;
  }

  /** {@code POST /devices/{jid}/logout}: unlinks the device; returns how many live sockets closed. */
  public int logout(String deviceJid) throws IOException, InterruptedException {
    String path = "devices/" + segment(deviceJid) + "/logout";
    return expect(200, "POST", path, post(path, Map.of())).path("closedConnections").asInt();
  }

  /**
   * {@code POST /faults}: {@code kind} is drop, stall or stream-error ({@code code} its status),
   * {@code target} a device jid or "all"; returns how many connections it hit.
   */
  public int fault(String kind, int code, String target) throws IOException, InterruptedException {
    return expect(202, "POST", "faults", post("faults", Map.of("kind", kind, "code", code, "target", target)))
        .path("affected").asInt();
  }

  /** {@code POST /phones/{phone}/send}: the phone sends a text to a user jid; returns its id. */
  public String send(String phone, String to, String text) throws IOException, InterruptedException {
    return send(phone, to, text, null);
  }

  /**
   * As {@link #send(String, String, String)}, damaging the recipient's copies when {@code tamper}
   * is bad-mac, corrupt or no-session (null: none).
   */
  public String send(String phone, String to, String text, String tamper)
      throws IOException, InterruptedException {
    String path = "phones/" + segment(phone) + "/send";
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("to", to);
    body.put("text", text);
    if (tamper != null) {
      body.put("tamper", tamper);
    }
    return expect(202, "POST", path, post(path, body)).path("id").asText();
  }

  /** {@code POST /phones/{phone}/replay}: the phone sends the stanza of message {@code id} again. */
  public void replay(String phone, String id) throws IOException, InterruptedException {
    String path = "phones/" + segment(phone) + "/replay";
    expect(202, "POST", path, post(path, Map.of("id", id)));
  }

  /**
   * {@code GET /phones/{phone}/inbox}: the messages the phone received, in arrival order, as the
   * API's JSON array of {index, id, from, chat, text | unsupported, t, type, error?}.
   */
  public JsonNode inbox(String phone) throws IOException, InterruptedException {
    return inbox(phone, 0);
  }

  /** As {@link #inbox(String)}, from entry index {@code since} on. */
  public JsonNode inbox(String phone, int since) throws IOException, InterruptedException {
    String path = "phones/" + segment(phone) + "/inbox" + (since > 0 ? "?since=" + since : "");
    return expect(200, "GET", path, get(path)).path("messages");
  }

  /** The texts of {@link #inbox(String)}, in arrival order (entries without text left out). */
  public List<String> inboxTexts(String phone) throws IOException, InterruptedException {
    List<String> texts = new ArrayList<>();
    inbox(phone).forEach(message -> {
      if (message.hasNonNull("text")) {
        texts.add(message.get("text").asText());
      }
    });
    return texts;
  }

  /** {@code GET /phones/{phone}/receipts}: receipts for what the phone sent, as a JSON array of {id, from, type, t}. */
  public JsonNode receipts(String phone) throws IOException, InterruptedException {
    String path = "phones/" + segment(phone) + "/receipts";
    return expect(200, "GET", path, get(path)).path("receipts");
  }

  /** {@code POST /phones} with a push name (the {@code notify} on the phone's messages, §9.1). */
  public CreatedPhone createPhone(String phone, String pushName)
      throws IOException, InterruptedException {
    JsonNode body = expect(201, "POST", "phones",
        post("phones", Map.of("phone", phone, "pushName", pushName)));
    return new CreatedPhone(body.path("phone").asText(), body.path("jid").asText(), body.path("lid").asText());
  }

  /** {@code POST /phones/{phone}/push-name}: the name the phone's messages carry from now on. */
  public void setPushName(String phone, String pushName) throws IOException, InterruptedException {
    String path = "phones/" + segment(phone) + "/push-name";
    expect(200, "POST", path, post(path, Map.of("pushName", pushName)));
  }

  /**
   * {@code POST /phones/{phone}/read}: the phone marks messages it received as read; each sender
   * gets a {@code type="read"} receipt (§9.3).
   */
  public void markRead(String phone, List<String> ids) throws IOException, InterruptedException {
    String path = "phones/" + segment(phone) + "/read";
    expect(202, "POST", path, post(path, Map.of("ids", ids)));
  }

  /**
   * {@code POST /groups}: a new group of {@code creator} (its admin) and {@code participants}, all
   * simulated phones; returns its JID ({@code <creator>-<unixSeconds>@g.us}). 404 unknown-phone
   * for a number that is not a phone, 400 for a bad subject or list.
   */
  public String createGroup(String subject, String creator, List<String> participants)
      throws IOException, InterruptedException {
    return expect(201, "POST", "groups", post("groups", Map.of("subject", subject,
        "creator", creator, "participants", participants))).path("id").asText();
  }

  /** {@code GET /groups/{jid}}: {id, subject, creator, creation, members}; 404 unknown-group. */
  public JsonNode group(String jid) throws IOException, InterruptedException {
    String path = "groups/" + segment(jid);
    return expect(200, "GET", path, get(path));
  }

  /**
   * {@code POST /groups/{jid}/participants}: adds and removes members; their devices get the
   * {@code w:gp2} notifications. Returns the group with {@code added} and {@code removed}.
   */
  public JsonNode changeParticipants(String jid, List<String> add, List<String> remove)
      throws IOException, InterruptedException {
    String path = "groups/" + segment(jid) + "/participants";
    return expect(200, "POST", path, post(path, Map.of("add", add, "remove", remove)));
  }

  /** {@code GET /devices/{jid}/prekeys}: one-time pre-keys the server still holds for the device. */
  public int preKeysRemaining(String deviceJid) throws IOException, InterruptedException {
    String path = "devices/" + segment(deviceJid) + "/prekeys";
    return expect(200, "GET", path, get(path)).path("remaining").asInt();
  }

  /**
   * {@code GET /root-key}: the public key of the simulator's test root, which signs its Noise
   * certificate chain; a client that talks to this simulator must trust it.
   */
  public byte[] rootKey() throws IOException, InterruptedException {
    String hex = expect(200, "GET", "root-key", get("root-key")).path("hex").asText("");
    return io.wafleet.client.transport.RootKeyCertificateVerifier.decodeRootKey(hex);
  }

  /** {@code GET /stats}: the simulator's counters (README, "Admin API"). */
  public JsonNode stats() throws IOException, InterruptedException {
    return expect(200, "GET", "stats", get("stats"));
  }

  /** Any {@code GET}; {@code path} is relative to the admin root. Never throws on a status. */
  public Reply get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  /** Any {@code POST} of a JSON object. Never throws on a status. */
  public Reply post(String path, Map<String, ?> body) throws IOException, InterruptedException {
    return postRaw(path, JSON.writeValueAsString(body), "application/json");
  }

  /** Any {@code POST} of raw bytes ({@code contentType} null: no header). Never throws on a status. */
  public Reply postRaw(String path, String body, String contentType) throws IOException, InterruptedException {
    HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
  }

  private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), parse(response.body()));
  }

  /** A body that is not JSON (a foreign server on the port) is kept as a JSON string. */
  private static JsonNode parse(String body) {
    if (body.isEmpty()) {
      return null;
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode(body);
    }
  }

  private static JsonNode expect(int status, String method, String path, Reply reply) {
    if (reply.status() == status && reply.body() != null && reply.body().isObject()) {
      return reply.body();
    }
    JsonNode body = reply.body();
    if (body != null && body.isObject()) {
      throw new SimulatorAdminException(method + " " + path, reply.status(), text(body, "code"),
          text(body, "message"), text(body, "field"));
    }
    String detail = body == null ? "empty body" : "not a JSON object: " + abbreviate(body.asText());
    throw new SimulatorAdminException(method + " " + path, reply.status(), null, detail, null);
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  /** Jids carry ':' and '@'; numbers are digits. Either way one path segment. */
  private static String segment(String value) {
    Objects.requireNonNull(value, "path value == null");
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
