package io.wafleet.simulator.relay;

import io.wafleet.client.binary.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One device's delivery line (§7.4, §8.8): its current {@link Endpoint} while online, else a
 * bounded FIFO of stanzas waiting for its next login. State: {@link State#OFFLINE} ⇄
 * {@link State#ONLINE}.
 *
 * <p>Not thread-safe: the {@link Relay} guards every mailbox with its own lock.
 */
final class Mailbox {

  /** Whether stanzas go straight to an endpoint or into the queue. */
  enum State { OFFLINE, ONLINE }

  /** What happened to one stanza. */
  enum Outcome { DELIVERED, QUEUED, DROPPED }

  private final int capacity;
  private final Deque<Node> queue = new ArrayDeque<>();
  private Endpoint endpoint;
  private State state = State.OFFLINE;

  Mailbox(int capacity) {
    this.capacity = capacity;
  }

  State state() {
    return state;
  }

  Endpoint endpoint() {
    return endpoint;
  }

  int queued() {
    return queue.size();
  }

  /** Delivers now when online and the endpoint takes it, else queues it (dropping it when full). */
  Outcome offer(Node stanza) {
    if (state == State.ONLINE && endpoint.deliver(stanza)) {
      return Outcome.DELIVERED;
    }
    if (state == State.ONLINE) {
      goOffline(endpoint);
    }
    if (queue.size() >= capacity) {
      return Outcome.DROPPED;
    }
    queue.addLast(stanza);
    return Outcome.QUEUED;
  }

  /** Goes online with this endpoint and returns the queued stanzas, oldest first, emptying the queue. */
  List<Node> goOnline(Endpoint next) {
    endpoint = next;
    state = State.ONLINE;
    List<Node> drained = new ArrayList<>(queue);
    queue.clear();
    return drained;
  }

  /** Puts stanzas that could not be flushed back at the head of the queue, in order. */
  void requeue(List<Node> stanzas) {
    for (int i = stanzas.size() - 1; i >= 0; i--) {
      queue.addFirst(stanzas.get(i));
    }
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
}
