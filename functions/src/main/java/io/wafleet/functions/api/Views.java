package io.wafleet.functions.api;

import com.google.cloud.Timestamp;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.ChatThread;
import io.wafleet.common.model.Incident;
import io.wafleet.common.model.Lease;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of API responses (docs/api.md). Lists mask phones; only the single-account view
 * shows the full phone, to an authenticated caller. QR strings and pairing codes never appear here
 * (each has its own endpoint). Stateless; thread-safe.
 */
final class Views {

  private Views() {}

  /** GET /v1/accounts/{id}: everything except the QR string and the pairing code. */
  static Map<String, Object> account(Account a) {
    Map<String, Object> m = summary(a);
    m.put("phone", a.phoneE164());
    m.put("pairingCodeExpiresAt", a.pairingCode() == null ? null : a.pairingCodeExpiresAt());
    m.put("pairingPhone", a.pairingPhone() == null ? null : io.wafleet.common.model.PhoneNumbers.mask(a.pairingPhone()));
    m.put("qrReady", a.qr() != null);
    m.put("qrExpiresAt", a.qr() == null ? null : a.qr().expiresAt());
    m.put("lastError", a.lastError());
    m.put("lastDisconnectReason", a.lastDisconnectReason());
    m.put("lastDisconnectAt", a.lastDisconnectAt());
    m.put("recentReconnects", a.recentReconnects());
    m.put("nextRetryAt", a.nextRetryAt());
    m.put("connectedAt", a.connectedAt());
    m.put("lastMessageAt", a.lastMessageAt());
    m.put("phoneLastSeenAt", a.phoneLastSeenAt());
    m.put("owner", a.owner() == null ? null : Map.of("instanceId", a.owner().instanceId(), "generation", a.owner().generation()));
    m.put("command", a.command() == null ? null : Map.of("kind", a.command().kind().name(), "requestedAt", a.command().requestedAt()));
    m.put("updatedAt", a.updatedAt());
    return m;
  }

  /** One row of a list: the phone masked. */
  static Map<String, Object> summary(Account a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("name", a.name());
    m.put("phoneMasked", a.maskedPhone());
    m.put("status", a.status().name());
    m.put("desired", a.desired().name());
    m.put("needsQr", a.status().needsPairing());
    m.put("reconnectAttempts", a.reconnectAttempts());
    m.put("lastSeen", a.lastEventAt());
    m.put("createdAt", a.createdAt());
    return m;
  }

  static Map<String, Object> outbox(OutboxItem i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id());
    m.put("accountId", i.accountId());
    m.put("to", i.to());
    m.put("text", i.text());
    m.put("status", i.status().name());
    m.put("attempts", i.attempts());
    m.put("nextAttemptAt", i.nextAttemptAt());
    m.put("waMessageId", i.waMessageId());
    m.put("error", i.error());
    m.put("createdAt", i.createdAt());
    m.put("updatedAt", i.updatedAt());
    return m;
  }

  static Map<String, Object> thread(ChatThread t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("accountId", t.accountId());
    m.put("chatJid", t.chatJid());
    m.put("lastMessageAt", t.lastMessageAt());
    m.put("unread", t.unread());
    return m;
  }

  static Map<String, Object> message(StoredMessage s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.waMessageId());
    m.put("accountId", s.accountId());
    m.put("chatJid", s.chatJid());
    m.put("direction", s.direction().name());
    m.put("from", s.from());
    m.put("to", s.to());
    m.put("text", s.text());
    m.put("status", s.status());
    m.put("pushName", s.pushName());
    m.put("ts", s.ts());
    return m;
  }

  static Map<String, Object> lease(Lease l, boolean live) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instanceId", l.instanceId());
    m.put("live", live);
    m.put("leaseUntil", l.leaseUntil());
    m.put("generation", l.generation());
    m.put("startedAt", l.startedAt());
    m.put("lastBeatAt", l.lastBeatAt());
    m.put("version", l.version());
    m.put("accountsOwned", l.accountsOwned());
    m.put("memoryBytes", l.memoryBytes());
    return m;
  }

  static Map<String, Object> incident(Incident i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", i.id());
    m.put("type", i.type());
    m.put("subject", i.subject());
    m.put("state", i.state().name());
    m.put("detail", i.detail());
    m.put("openedAt", i.openedAt());
    m.put("resolvedAt", i.resolvedAt());
    m.put("resolution", i.resolution());
    m.put("timeToRecoverSeconds", i.timeToRecover().map(java.time.Duration::toSeconds).orElse(null));
    m.put("lastCheckedAt", i.lastCheckedAt());
    return m;
  }

  /** A page of items and the cursor of the next page (null on the last page). */
  static Map<String, Object> page(List<?> items, String next) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("items", items);
    m.put("next", next);
    return m;
  }

  /** Firestore values (config documents) as JSON: timestamps become ISO strings. */
  static Object plain(Object value) {
    if (value instanceof Timestamp ts) {
      return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(plain(v)));
      return out;
    }
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    return String.valueOf(value);
  }
}
