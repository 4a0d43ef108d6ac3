package io.wafleet.simulator.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters for {@code GET /stats}. Each counter only grows, except {@link #connectionOpened} /
 * {@link #connectionClosed}, which track live sockets. Thread-safe (atomics).
 */
public final class Stats {

  /** One named counter. */
  public enum Counter {
    HANDSHAKES_COMPLETED("handshakesCompleted"),
    REGISTRATIONS("registrations"),
    PAIRINGS("pairings"),
    LOGINS("logins"),
    LOGIN_FAILURES("loginFailures"),
    FRAMES_IN("framesIn"),
    FRAMES_OUT("framesOut"),
    DROPPED_CONNECTIONS("droppedConnections"),
    FAULTS_INJECTED("faultsInjected"),
    /** Message copies handed to an online device (§8.8), including queued ones flushed at login. */
    MESSAGES_RELAYED("messagesRelayed"),
    /** Message copies queued for an offline device (§7.4). */
    MESSAGES_QUEUED("messagesQueued"),
    /**
     * Message copies written again at a login because the device had not acknowledged them
     * (§7.4, §8.8); not counted in {@link #MESSAGES_RELAYED} a second time.
     */
    MESSAGES_REDELIVERED("messagesRedelivered"),
    /** Receipts forwarded to a sender's device (§9.5). */
    RECEIPTS_RELAYED("receiptsRelayed"),
    /** Pre-key bundles served by key fetches (§8.5), network or in-process. */
    KEY_BUNDLES_SERVED("keyBundlesServed"),
    /** usync queries answered (§8.3). */
    USYNC_QUERIES("usyncQueries"),
    /**
     * Logins of a device that already had a logged-in socket, whose older socket got 440 replaced
     * (§7.6): two clients fighting over one device. A fleet that never holds an account twice keeps
     * it at 0.
     */
    SESSIONS_REPLACED("sessionsReplaced"),
    /**
     * Messages a simulated phone received again under a sender and id it already holds (a sender's
     * resend, a redelivery): answered with a receipt and not recorded a second time, as a phone
     * drops a message id it has seen.
     */
    PHONE_DUPLICATES_DROPPED("phoneDuplicatesDropped");

    private final String jsonName;

    Counter(String jsonName) {
      this.jsonName = jsonName;
    }

    public String jsonName() {
      return jsonName;
    }
  }

  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong[] counters = new AtomicLong[Counter.values().length];

  public Stats() {
    for (int i = 0; i < counters.length; i++) {
      counters[i] = new AtomicLong();
    }
  }

  public void increment(Counter counter) {
    counters[counter.ordinal()].incrementAndGet();
  }

  public long value(Counter counter) {
    return counters[counter.ordinal()].get();
  }

  void connectionOpened() {
    connections.incrementAndGet();
  }

  void connectionClosed() {
    connections.decrementAndGet();
  }

  /** Live WebSocket connections. */
  public long connections() {
    return connections.get();
  }

  /** All counters by JSON name, {@code connections} first; phones and devices are added by the caller. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("connections", connections());
    for (Counter counter : Counter.values()) {
      out.put(counter.jsonName(), value(counter));
    }
    return out;
  }
}
