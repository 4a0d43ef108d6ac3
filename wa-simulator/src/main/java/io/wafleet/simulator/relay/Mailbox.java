package io.wafleet.simulator.relay;

import io.wafleet.client.binary.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's delivery line (§7.4, §8.8): its current {@link Endpoint} while online, a FIFO of
 * stanzas waiting for its next login, and the {@code <message>} stanzas written to the device but
 * not yet acknowledged by it. State: {@link State#OFFLINE} ⇄ {@link State#ONLINE}.
 *
 * <p>Acknowledgement rule (§8.8, §9.3, §9.4): a message stays "in flight" for this device from the
 * moment it is written until the device sends a {@code <receipt>} of any type naming its id (in
 * {@code id} or in {@code <list><item id/>}) or an {@code <ack class="message" id>}; see
 * {@link #acknowledge}. At the next login ({@link #goOnline}) the unacknowledged messages come back
 * first, in the order they were first written, then the queue, minus any message already among the
 * unacknowledged (same id). A device that stays connected is never re-sent anything: redelivery
 * happens on login only, never on a timer. Forwarded receipts and other non-message stanzas are
 * not tracked once written.
 *
 * <p>Bound: in-flight plus queued stanzas never exceed {@code capacity}; beyond it the oldest one
 * (in-flight before queued) is dropped and logged at WARN with the running drop count.
 *
 * <p>Not thread-safe: the {@link Relay} guards every mailbox with its own lock, held from writing a
 * stanza to recording it in flight, so an acknowledgement can never overtake its message.
 */
final class Mailbox {

  private static final Logger log = LoggerFactory.getLogger(Mailbox.class);

  /** Whether stanzas go straight to an endpoint or into the queue. */
  enum State { OFFLINE, ONLINE }

  /** What happened to one stanza. */
  enum Outcome { DELIVERED, QUEUED }

  /**
   * What a login must (re)deliver, in this order (§7.4): messages written earlier but never
   * acknowledged, then stanzas queued while offline.
   */
  record Backlog(List<Node> unacknowledged, List<Node> queued) {
    Backlog {
      unacknowledged = List.copyOf(unacknowledged);
      queued = List.copyOf(queued);
    }

    List<Node> all() {
      List<Node> all = new ArrayList<>(unacknowledged);
      all.addAll(queued);
      return all;
    }
  }

  private final int capacity;
  private final String device;
  private final Deque<Node> queue = new ArrayDeque<>();
  private final Map<String, Node> inFlight = new LinkedHashMap<>();
  private Endpoint endpoint;
  private State state = State.OFFLINE;
  private long dropped;

  /** {@code device} names the device in log lines only (masked by the caller). */
  Mailbox(int capacity, String device) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1");
    }
    this.capacity = capacity;
    this.device = device;
  }

  State state() {
    return state;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  /** Stanzas waiting for the next login (not counting unacknowledged in-flight messages). */
  int queued() {
    return queue.size();
  }

  /** Messages written to the device and not acknowledged by it yet. */
  int unacknowledged() {
    return inFlight.size();
  }

  /** Stanzas dropped so far because the bound was reached. */
  long dropped() {
    return dropped;
  }

  /**
   * Delivers now when online and the endpoint takes it (a message then stays in flight until
   * acknowledged), else queues it; either way the oldest stanza is dropped if the bound is passed.
   */
  Outcome offer(Node stanza) {
    if (state == State.ONLINE && endpoint.deliver(stanza)) {
      written(stanza);
      return Outcome.DELIVERED;
    }
    if (state == State.ONLINE) {
      goOffline(endpoint);
    }
    queue.addLast(stanza);
    enforceBound();
    return Outcome.QUEUED;
  }

  /**
   * Records that a stanza was written to the device: a {@code <message>} with an id stays in
   * flight until {@link #acknowledge}d. Called by {@link #offer} and for each stanza of a login's
   * backlog once the endpoint took it.
   */
  void written(Node stanza) {
    String id = messageId(stanza);
    if (id == null) {
      return;
    }
    inFlight.remove(id);
    inFlight.put(id, stanza);
    enforceBound();
  }

  /** The device processed these message ids (§9.3, §9.4); returns how many were in flight. */
  int acknowledge(Collection<String> ids) {
    int removed = 0;
    for (String id : ids) {
      if (inFlight.remove(id) != null) {
        removed++;
      }
    }
    return removed;
  }

  /**
   * Goes online with this endpoint and hands over the backlog (§7.4), emptying both the in-flight
   * set and the queue; the caller delivers it, reports each written stanza with {@link #written}
   * and {@link #requeue}s what it could not write.
   */
  Backlog goOnline(Endpoint next) {
    endpoint = next;
    state = State.ONLINE;
    List<Node> unacknowledged = new ArrayList<>(inFlight.values());
    List<Node> queued = new ArrayList<>();
    for (Node stanza : queue) {
      String id = messageId(stanza);
      if (id == null || !inFlight.containsKey(id)) {
        queued.add(stanza);
      }
    }
    inFlight.clear();
    queue.clear();
    return new Backlog(unacknowledged, queued);
  }

  /** Puts stanzas that could not be flushed back at the head of the queue, in order. */
  void requeue(List<Node> stanzas) {
    for (int i = stanzas.size() - 1; i >= 0; i--) {
      queue.addFirst(stanzas.get(i));
    }
    enforceBound();
  }

  /** Goes offline if {@code leaving} is still the current endpoint (a newer login may have replaced it). */
  boolean goOffline(Endpoint leaving) {
    if (endpoint != leaving) {
      return false;
    }
    endpoint = null;
    state = State.OFFLINE;
    return true;
  }

  /** Drops the oldest stanzas, in-flight ones first (they are older), until within the bound. */
  private void enforceBound() {
    while (inFlight.size() + queue.size() > capacity) {
      Node oldest;
      if (!inFlight.isEmpty()) {
        Iterator<Node> first = inFlight.values().iterator();
        oldest = first.next();
        first.remove();
      } else {
        oldest = queue.pollFirst();
      }
      dropped++;
      log.warn("mailbox full, oldest stanza dropped device={} tag={} id={} capacity={} droppedTotal={}",
          device, oldest.tag(), oldest.attrOr("id", ""), capacity, dropped);
    }
  }

  /** The id of a {@code <message>} stanza, or null for anything else (not tracked in flight). */
  static String messageId(Node stanza) {
    String id = stanza.attr("id");
    return "message".equals(stanza.tag()) && id != null && !id.isEmpty() ? id : null;
  }
}
