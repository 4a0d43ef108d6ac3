package io.wafleet.simulator.client;

import static org.awaitility.Awaitility.await;

import io.wafleet.client.RawAccess;
import io.wafleet.client.WaClient;
import io.wafleet.client.WaListener;
import io.wafleet.client.auth.AuthState;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.DecryptionFailed;
import io.wafleet.client.event.DuplicateMessage;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.event.ReceiptType;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.simulator.WaSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A wa-client account as the connector will drive it: every received message is "stored" (added
 * to {@link #stored}) on a separate thread and only then acknowledged, unless the test holds
 * acknowledgements back ({@link #holdAcks}). Records receipts and failures. Thread-safe.
 */
final class MessagingPeer implements WaListener {

  final EventRecorder events = new EventRecorder();
  final AuthState auth;
  final WaClient client;
  private final List<IncomingMessage> stored = new ArrayList<>();
  private final List<IncomingMessage> held = new ArrayList<>();
  private final Set<String> delivered = ConcurrentHashMap.newKeySet();
  private final ExecutorService store = Executors.newSingleThreadExecutor();
  private volatile Predicate<IncomingMessage> hold = m -> false;

  /** Every node this peer's client received, in order. */
  final List<Node> inbound = java.util.Collections.synchronizedList(new ArrayList<>());

  MessagingPeer(AuthState auth, WaSimulator sim) {
    this(auth, sim, builder -> builder);
  }

  /** As above, with {@code settings} applied to the client's builder last. */
  MessagingPeer(AuthState auth, WaSimulator sim,
      java.util.function.UnaryOperator<WaClient.Builder> settings) {
    this.auth = auth;
    this.client = RawAccess.inboundObserver(settings.apply(ClientSupport.client(auth, sim, events)
        .listener(this).connectTimeout(Duration.ofSeconds(20)).queryTimeout(Duration.ofSeconds(20))
            .loginTimeout(Duration.ofSeconds(15))),
        inbound::add).build();
  }

  @Override
  public void onEvent(WaEvent event) {
    events.onEvent(event);
    if (event instanceof MessageReceived received) {
      store.execute(() -> storeAndAck(received.message()));
    } else if (event instanceof ReceiptReceived r && r.type() == ReceiptType.DELIVERY) {
      delivered.add(r.id().value() + "|" + r.from());
    }
  }

  private void storeAndAck(IncomingMessage message) {
    synchronized (stored) {
      if (hold.test(message)) {
        held.add(message);
        return;
      }
      stored.add(message);
    }
    client.acknowledge(message);
  }

  /** Messages matching {@code predicate} are stored but not acknowledged until {@link #release}. */
  void holdAcks(Predicate<IncomingMessage> predicate) {
    hold = predicate;
  }

  void release() {
    List<IncomingMessage> now;
    synchronized (stored) {
      hold = m -> false;
      now = new ArrayList<>(held);
      held.clear();
      stored.addAll(now);
    }
    now.forEach(client::acknowledge);
  }

  List<IncomingMessage> stored() {
    synchronized (stored) {
      return new ArrayList<>(stored);
    }
  }

  List<IncomingMessage> held() {
    synchronized (stored) {
      return new ArrayList<>(held);
    }
  }

  /** The texts stored from {@code chat}, in arrival order. */
  List<String> textsFrom(Jid chat) {
    return stored().stream().filter(m -> m.chat().equals(chat) && !m.fromMe())
        .map(m -> ((MessageContent.Text) m.content()).text()).toList();
  }

  /** Whether {@code device} sent a delivery receipt for {@code id}. */
  boolean deliveredBy(MessageId id, Jid device) {
    return delivered.contains(id.value() + "|" + device);
  }

  /** This account's device JID. */
  Jid me() {
    return auth.credentials().me();
  }

  long failures() {
    return events.count(DecryptionFailed.class);
  }

  long duplicates() {
    return events.count(DuplicateMessage.class);
  }

  void close() {
    client.close();
    store.shutdown();
  }

  /**
   * Awaits {@code condition} (Awaitility, polling every 20 ms) for at most {@code timeout}; on
   * timeout fails naming {@code what}, evaluated then so it can describe the state reached.
   */
  static void awaitUntil(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
    try {
      await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("timed out after " + timeout.toSeconds() + " s: " + what.get(), e);
    }
  }
}
