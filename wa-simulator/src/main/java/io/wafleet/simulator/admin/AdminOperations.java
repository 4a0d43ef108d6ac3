package io.wafleet.simulator.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.fault.Fault;
import io.wafleet.simulator.fault.FaultInjector;
import io.wafleet.simulator.phone.LinkedDevice;
import io.wafleet.simulator.phone.Phone;
import io.wafleet.simulator.phone.PhoneBook;
import io.wafleet.simulator.relay.KeyBundles;
import io.wafleet.simulator.relay.PhoneInbox;
import io.wafleet.simulator.relay.PhonePeers;
import io.wafleet.simulator.relay.Tamper;
import io.wafleet.simulator.server.Connection;
import io.wafleet.simulator.server.ConnectionRegistry;
import io.wafleet.simulator.server.Stanzas;
import io.wafleet.simulator.server.Stats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each admin endpoint does, over the phone book, live connections and fault injector.
 * Returns JSON-ready maps; throws {@link AdminApiException} or {@code PhoneBookException}. Thread-safe.
 */
public final class AdminOperations {

  private static final Logger log = LoggerFactory.getLogger(AdminOperations.class);
  /** WhatsApp limits a profile name to 25 characters. */
  static final int MAX_PUSH_NAME = 25;
  /** Ids one read request may name. */
  static final int MAX_READ_IDS = 256;

  private final PhoneBook phones;
  private final ConnectionRegistry connections;
  private final FaultInjector faults;
  private final Stats stats;
  private final PhonePeers peers;
  private final KeyBundles keys;
  private final GroupOperations groups;

  public AdminOperations(PhoneBook phones, ConnectionRegistry connections, FaultInjector faults,
      Stats stats, PhonePeers peers, KeyBundles keys, GroupOperations groups) {
    this.groups = groups;
    this.phones = phones;
    this.connections = connections;
    this.faults = faults;
    this.stats = stats;
    this.peers = peers;
    this.keys = keys;
  }

  GroupOperations groups() {
    return groups;
  }

  /** {@code POST /phones {"phone":"...", "pushName":"..."?}} → 201 {phone, jid, lid[, pushName]}. */
  Map<String, Object> createPhone(JsonNode body) {
    String pushName = body.has("pushName") ? pushName(body) : null;
    Phone phone = phones.create(text(body, "phone"));
    phone.pushName(pushName);
    peers.add(phone);
    log.info("phone created phone={}", phone.jid().masked());
    return phoneJson(phone);
  }

  /**
   * {@code POST /phones/{phone}/push-name {"pushName":"..."}} → 200 {phone, jid, lid, pushName}:
   * the name the phone's messages carry as {@code notify} from now on (§9.1).
   */
  Map<String, Object> setPushName(String number, JsonNode body) {
    Phone phone = phones.phone(number);
    phone.pushName(pushName(body));
    return phoneJson(phone);
  }

  private static Map<String, Object> phoneJson(Phone phone) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("phone", phone.number());
    out.put("jid", phone.jid().toString());
    out.put("lid", phone.lid().toString());
    putIfSet(out, "pushName", phone.pushName());
    return out;
  }

  /** A push name: 1..{@value #MAX_PUSH_NAME} characters, no control characters. */
  private static String pushName(JsonNode body) {
    String name = text(body, "pushName");
    if (name.isBlank() || name.codePointCount(0, name.length()) > MAX_PUSH_NAME
        || name.codePoints().anyMatch(Character::isISOControl)) {
      throw AdminApiException.badRequest("bad-push-name",
          "pushName must be 1.." + MAX_PUSH_NAME + " characters without control characters",
          "pushName");
    }
    return name;
  }

  /** {@code POST /phones/{phone}/scan {"qr":"..."}} → 200 {deviceJid, lid} once pair-success is sent. */
  Map<String, Object> scan(String number, JsonNode body) {
    LinkedDevice device = phones.scan(number, text(body, "qr"));
    return Map.of("deviceJid", device.jid().toString(), "lid", device.lid().toString());
  }

  /**
   * {@code POST /phones/{phone}/link-code {"code":"..."}} → 200 {deviceJid, lid} once pair-success
   * is sent (§6.7); waits for the companion's companion_finish.
   */
  Map<String, Object> enterLinkCode(String number, JsonNode body) {
    LinkedDevice device = phones.linkCodes().enter(number, text(body, "code"));
    return Map.of("deviceJid", device.jid().toString(), "lid", device.lid().toString());
  }

  /** {@code GET /phones/{phone}/devices} → 200 {phone, devices: [jid...]}. */
  Map<String, Object> devices(String number) {
    List<String> jids = phones.phone(number).devices().stream()
        .map(device -> device.jid().toString()).toList();
    return Map.of("phone", number, "devices", jids);
  }

  /** {@code POST /devices/{jid}/logout}: unlink, then 401 device_removed on live sockets (§7.6). */
  Map<String, Object> logout(String deviceJid) {
    Jid jid = Jid.tryParse(deviceJid);
    if (jid == null || !jid.hasDevice()) {
      throw AdminApiException.badRequest("bad-device-jid", "not a device jid", "deviceJid");
    }
    LinkedDevice removed = phones.unlink(jid);
    List<Connection> live = connections.of(jid);
    live.forEach(connection -> connection.sendAndClose(Stanzas.deviceRemoved()));
    log.info("device logged out device={} closed={}", removed.jid().masked(), live.size());
    return Map.of("deviceJid", removed.jid().toString(), "closedConnections", live.size());
  }

  /** {@code POST /faults {"kind","code","target"}} → 202 {affected}. */
  Map<String, Object> fault(JsonNode body) {
    try {
      Fault.Kind kind = Fault.Kind.parse(text(body, "kind"));
      int code = body.path("code").asInt(kind == Fault.Kind.STREAM_ERROR ? 515 : 0);
      String target = body.hasNonNull("target") ? body.get("target").asText() : Fault.ALL;
      return Map.of("affected", faults.inject(new Fault(kind, code, target)));
    } catch (IllegalArgumentException e) {
      throw AdminApiException.badRequest("bad-fault", e.getMessage(), null);
    }
  }

  /**
   * {@code POST /phones/{phone}/send {"to":"<user or group jid>","text":"...","tamper":"..."?}} →
   * 202 {id}: the phone sends as a real sender does (usync, key fetch, encrypt, relay; §8; to a
   * group: sender-key distribution and skmsg, §10.7), optionally damaging what the recipients get
   * ({@link Tamper}: bad-mac, corrupt, no-session to a user; bad-signature, no-sender-key to a
   * group).
   */
  Map<String, Object> send(String number, JsonNode body) {
    phones.phone(number);
    Jid to = Jid.tryParse(text(body, "to"));
    if (to == null || !(to.isUser() || to.isLid() || to.isGroup()) || to.hasDevice()) {
      throw AdminApiException.badRequest("bad-jid", "to must be a user jid (PN or LID) or a group jid",
          "to");
    }
    String message = text(body, "text");
    if (message.isEmpty()) {
      throw AdminApiException.badRequest("empty-text", "text must not be empty", "text");
    }
    Tamper tamper;
    try {
      tamper = Tamper.parse(body.hasNonNull("tamper") ? body.get("tamper").asText() : null);
    } catch (IllegalArgumentException e) {
      tamper = null;
    }
    if (tamper == null || (to.isGroup() ? !tamper.forGroups() : !tamper.forUsers())) {
      throw AdminApiException.badRequest("bad-tamper", to.isGroup()
          ? "tamper to a group is none|bad-signature|no-sender-key"
          : "tamper is none|bad-mac|corrupt|no-session", "tamper");
    }
    try {
      return Map.of("id", peers.send(number, to, message, tamper));
    } catch (PhonePeers.SendRefused e) {
      throw refused(e);
    }
  }

  /** {@code POST /phones/{phone}/replay {"id":"..."}} → 202 {id}: the same stanza once more. */
  Map<String, Object> replay(String number, JsonNode body) {
    phones.phone(number);
    String id = text(body, "id");
    try {
      peers.replay(number, id);
      return Map.of("id", id);
    } catch (PhonePeers.SendRefused e) {
      throw refused(e);
    }
  }

  /**
   * {@code POST /phones/{phone}/read {"ids":["..."]}} → 202 {ids}: the phone marks messages it
   * received as read; their senders get a {@code type="read"} receipt (§9.3). 404
   * {@code unknown-message} for an id the phone never received (nothing is sent then).
   */
  Map<String, Object> read(String number, JsonNode body) {
    phones.phone(number);
    JsonNode ids = body.get("ids");
    if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > MAX_READ_IDS) {
      throw AdminApiException.badRequest("bad-ids",
          "ids must be an array of 1.." + MAX_READ_IDS + " message ids", "ids");
    }
    List<String> list = new java.util.ArrayList<>();
    for (JsonNode id : ids) {
      if (!id.isTextual() || id.asText().isEmpty()) {
        throw AdminApiException.badRequest("bad-ids", "each id must be a non-empty string", "ids");
      }
      list.add(id.asText());
    }
    try {
      return Map.of("ids", peers.markRead(number, list));
    } catch (PhonePeers.SendRefused e) {
      throw switch (e.getMessage()) {
        case "unknown-message" -> AdminApiException.notFound("unknown-message",
            "this phone received no message with one of these ids", "ids");
        case "not-decrypted" -> AdminApiException.conflict("not-decrypted",
            "one of these messages did not decrypt at this phone");
        default -> refused(e);
      };
    }
  }

  private static AdminApiException refused(PhonePeers.SendRefused e) {
    return switch (e.getMessage()) {
      case "unknown-recipient" -> AdminApiException.notFound("unknown-recipient", "no such recipient", "to");
      case "unknown-group" -> AdminApiException.notFound("unknown-group", "no such group", "to");
      case "not-a-member" -> AdminApiException.forbidden("not-a-member",
          "the phone is not a member of the group", "to");
      case "unknown-message" -> AdminApiException.notFound("unknown-message", "this phone sent no such id", "id");
      default -> AdminApiException.conflict("send-refused", e.getMessage());
    };
  }

  /** {@code GET /phones/{phone}/inbox[?since=N]} → 200 {messages: [...]} in arrival order. */
  Map<String, Object> inbox(String number, int since) {
    phones.phone(number);
    List<Map<String, Object>> messages = peers.inbox(number, since).orElse(List.of()).stream()
        .map(AdminOperations::entryJson).toList();
    return Map.of("messages", messages);
  }

  private static Map<String, Object> entryJson(PhoneInbox.Entry entry) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("index", entry.index());
    out.put("id", entry.id());
    out.put("from", entry.from());
    out.put("chat", entry.chat());
    putIfSet(out, "text", entry.text());
    putIfSet(out, "unsupported", entry.unsupported());
    out.put("t", entry.t());
    out.put("type", entry.type());
    putIfSet(out, "error", entry.error());
    putIfSet(out, "pushName", entry.pushName());
    putIfSet(out, "senderAlt", entry.senderAlt());
    return out;
  }

  private static void putIfSet(Map<String, Object> out, String key, Object value) {
    if (value != null) {
      out.put(key, value);
    }
  }

  /** {@code GET /phones/{phone}/receipts} → 200 {receipts: [{id, from, type, t}]}. */
  Map<String, Object> receipts(String number) {
    phones.phone(number);
    return Map.of("receipts", peers.receipts(number).orElse(List.of()));
  }

  /** {@code GET /devices/{deviceJid}/prekeys} → 200 {remaining}: one-time pre-keys left (§8.5). */
  Map<String, Object> preKeys(String deviceJid) {
    Jid jid = Jid.tryParse(deviceJid);
    if (jid == null) {
      throw AdminApiException.badRequest("bad-device-jid", "not a device jid", "deviceJid");
    }
    int remaining = keys.remaining(jid).orElseThrow(
        () -> AdminApiException.notFound("unknown-device", "no such device", "deviceJid"));
    return Map.of("deviceJid", jid.toString(), "remaining", remaining);
  }

  /** {@code GET /stats}. */
  Map<String, Object> stats() {
    Map<String, Object> out = new LinkedHashMap<>(stats.snapshot());
    out.put("phones", phones.phoneCount());
    out.put("devices", phones.deviceCount());
    return out;
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual()) {
      throw AdminApiException.badRequest("missing-field", field + " must be a string", field);
    }
    return value.asText();
  }
}
