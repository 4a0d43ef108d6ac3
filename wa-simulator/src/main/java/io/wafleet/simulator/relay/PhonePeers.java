package io.wafleet.simulator.relay;

import io.wafleet.client.model.Jid;
import io.wafleet.simulator.phone.Phone;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every simulated phone's Signal peer (§10, §11 item 5), created when the phone is, online at the
 * relay as device 0 from then on. Sends and receives of all phones run on one thread
 * ({@code wa-simulator-phones}), in order.
 *
 * <p>Thread-safe: the admin API calls in from its threads; work is queued to the phones' thread.
 */
public final class PhonePeers implements AutoCloseable {

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(20);

  private final Relay relay;
  private final KeyBundles keys;
  private final Clock clock;
  private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
    Thread t = new Thread(runnable, "wa-simulator-phones");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, PhonePeer> peers = new ConcurrentHashMap<>();

  /** Why a send was refused: {@code unknown-recipient}, {@code relay-error-N}, ... */
  public static final class SendRefused extends Exception {
    public SendRefused(String reason) {
      super(reason, null, false, false);
    }
  }

  public PhonePeers(Relay relay, KeyBundles keys, Clock clock) {
    this.relay = relay;
    this.keys = keys;
    this.clock = clock;
  }

  /** Gives a new phone its peer and brings device 0 online (delivering anything queued for it). */
  public void add(Phone phone) {
    PhonePeer peer = new PhonePeer(phone, relay, keys, thread, clock);
    peers.put(phone.number(), peer);
    relay.connect(peer.self(), peer, false);
  }

  /**
   * A companion of this account just uploaded its first keys: its phone sends it the app-state
   * sync key share and the history sync notification (§9.6). Queued to the phones' thread; returns
   * at once (the caller is a connection's thread).
   */
  public void welcome(Jid companion) {
    Optional<PhonePeer> peer = peer(companion.user());
    if (peer.isPresent()) {
      thread.execute(() -> peer.get().welcome(companion));
    }
  }

  /**
   * The phone sends a text to a user JID (PN or LID) as a real sender does; returns the message id
   * once the relay accepted it.
   */
  public String send(String number, Jid to, String text, Tamper tamper) throws SendRefused {
    PhonePeer peer = peer(number).orElseThrow(() -> new SendRefused("unknown-phone"));
    return onPhonesThread(() -> peer.send(to, text, tamper));
  }

  /**
   * The phone reads messages it received (§9.3): one {@code type="read"} receipt per chat and
   * sender device, listing its ids; returns the ids in the order given.
   */
  public List<String> markRead(String number, List<String> ids) throws SendRefused {
    PhonePeer peer = peer(number).orElseThrow(() -> new SendRefused("unknown-phone"));
    return onPhonesThread(() -> peer.markRead(ids));
  }

  /** The phone submits an earlier message's stanza again, unchanged (a replay, §13). */
  public void replay(String number, String id) throws SendRefused {
    PhonePeer peer = peer(number).orElseThrow(() -> new SendRefused("unknown-phone"));
    if (!onPhonesThread(() -> peer.replay(id))) {
      throw new SendRefused("unknown-message");
    }
  }

  private <T> T onPhonesThread(java.util.concurrent.Callable<T> work) throws SendRefused {
    Future<T> sent = thread.submit(work);
    try {
      return sent.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof PhoneSender.Refused refused) {
        throw new SendRefused(refused.getMessage());
      }
      throw new IllegalStateException("phone send failed", e.getCause());
    } catch (TimeoutException e) {
      sent.cancel(true);
      throw new SendRefused("timeout");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SendRefused("interrupted");
    }
  }

  /** The phone's inbox entries from {@code since} on; empty if there is no such phone. */
  public Optional<List<PhoneInbox.Entry>> inbox(String number, int since) {
    return peer(number).map(peer -> peer.inbox().since(since));
  }

  public Optional<List<PhoneInbox.Receipt>> receipts(String number) {
    return peer(number).map(peer -> peer.inbox().receipts());
  }

  private Optional<PhonePeer> peer(String number) {
    return Optional.ofNullable(number == null ? null : peers.get(number));
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
