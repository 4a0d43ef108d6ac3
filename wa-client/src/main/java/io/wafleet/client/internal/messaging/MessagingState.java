package io.wafleet.client.internal.messaging;

import io.wafleet.client.WaClient;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What messaging remembers across the connections of one {@link WaClient} (in memory only): the
 * device-list cache, received messages not yet acknowledged by the application, ids acknowledged
 * recently (duplicate detection), decrypt failure and retry counters, and the recently sent texts
 * a retry receipt may ask for again (§9.4). Every map is bounded. Thread-safe (synchronized).
 *
 * <p>§13 "Idempotent receive": the unacknowledged messages here are the in-memory view of this
 * client's {@link UnackedMessages} entries, which survive a crash; a redelivery of one of them
 * within this client is reported as a duplicate (the application holds it already). Their count
 * bounds receiving: at {@link #MAX_UNACKED} (by default) the {@link Receiver} leaves new messages undecrypted.
 */
public final class MessagingState {

  /** Unacknowledged messages per account; never evicted (that would lose the receipt). */
  static final int MAX_UNACKED = 10_000;
  static final int MAX_REMEMBERED = 20_000;
  static final int MAX_RECENT_SENT = 4_096;
  /** Retry receipts per (message, sender), and resends per (message, requester) (§9.4). */
  static final int MAX_RETRIES = 5;

  /** A received message waiting for the application; {@code acknowledged} set while offline. */
  static final class Unacked {
    final IncomingMessage message;
    final Jid ownCopyChat;
    boolean acknowledged;

    Unacked(IncomingMessage message, Jid ownCopyChat) {
      this.message = message;
      this.ownCopyChat = ownCopyChat;
    }
  }

  /** A text we sent, kept for resends on retry receipts. */
  record SentText(MessageId id, Jid chat, String text) {
  }

  private final DeviceLists devices;
  private final int maxUnacked;
  private final Map<String, Unacked> unacked = new LinkedHashMap<>();
  private final Map<String, Boolean> acknowledged = bounded(MAX_REMEMBERED);
  private final Map<String, Integer> failures = new HashMap<>();
  private final Map<String, Integer> retries = bounded(MAX_REMEMBERED);
  private final Map<String, SentText> sent = bounded(MAX_RECENT_SENT);

  public MessagingState(Clock clock) {
    this(clock, MAX_UNACKED);
  }

  /** {@code maxUnacked}: tests use a small bound. */
  public MessagingState(Clock clock, int maxUnacked) {
    if (maxUnacked < 1) {
      throw new IllegalArgumentException("maxUnacked < 1");
    }
    this.devices = new DeviceLists(clock);
    this.maxUnacked = maxUnacked;
  }

  /** Whether the unacknowledged messages reached their bound. */
  synchronized boolean unackedFull() {
    return unacked.size() >= maxUnacked;
  }

  int maxUnacked() {
    return maxUnacked;
  }

  DeviceLists devices() {
    return devices;
  }

  /** (sender device, id); device 0 written or not gives the same key. */
  static String key(Jid sender, String id) {
    return sender + "|" + id;
  }

  synchronized Unacked unacked(String key) {
    return unacked.get(key);
  }

  synchronized void addUnacked(String key, Unacked entry) {
    unacked.put(key, entry);
  }

  synchronized Unacked removeUnacked(String key) {
    Unacked entry = unacked.remove(key);
    if (entry != null) {
      acknowledged.put(key, Boolean.TRUE);
    }
    return entry;
  }

  /** The application acknowledged while offline: the receipt goes out on redelivery. */
  public synchronized void markAcknowledged(IncomingMessage message) {
    Unacked entry = unacked.get(key(message.sender(), message.id().value()));
    if (entry != null) {
      entry.acknowledged = true;
    }
  }

  synchronized void rememberAcknowledged(String key) {
    acknowledged.put(key, Boolean.TRUE);
  }

  synchronized boolean wasAcknowledged(String key) {
    return acknowledged.containsKey(key);
  }

  synchronized int unackedCount() {
    return unacked.size();
  }

  /** Counts one more failure of {@code reason}; returns the new total. */
  synchronized int countFailure(String reason) {
    return failures.merge(reason, 1, Integer::sum);
  }

  /** Counts one more retry for {@code key}; returns the new count. */
  synchronized int countRetry(String key) {
    return retries.merge(key, 1, Integer::sum);
  }

  synchronized void rememberSent(SentText text) {
    sent.put(text.id().value(), text);
  }

  synchronized SentText sent(String id) {
    return sent.get(id);
  }

  private static <V> Map<String, V> bounded(int max) {
    return new LinkedHashMap<>(16, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }
}
