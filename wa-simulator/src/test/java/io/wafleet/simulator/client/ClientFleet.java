package io.wafleet.simulator.client;

import io.wafleet.client.WaClient;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.event.Connected;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Many paired clients in one JVM against one simulator, each built with the default builder
 * (shared okhttp client, executor and scheduler), for the resource IT and {@code bench clients}.
 * Pairing and connecting run for all clients at once; every step waits with a bound.
 */
public final class ClientFleet implements AutoCloseable {

  /** One account: its client and its events. */
  public record Member(WaClient client, BlockingQueue<WaEvent> events) {
  }

  private static final int PAIRING_WINDOW = 1;

  private final List<Member> members = new ArrayList<>();
  private final Duration wait;

  private ClientFleet(Duration wait) {
    this.wait = wait;
  }

  /**
   * Pairs {@code count} new devices, one per phone {@code phonePrefix + i}, with few pre-keys
   * (the upload is not what is measured), and leaves them closed after the restart that follows
   * pairing.
   */
  public static ClientFleet paired(WaSimulator sim, SimulatorAdminClient admin, int count,
      String phonePrefix, Duration wait) throws Exception {
    ClientFleet fleet = new ClientFleet(wait);
    for (int i = 0; i < count; i++) {
      String phone = phonePrefix + String.format("%05d", i);
      admin.createPhone(phone);
      BlockingQueue<WaEvent> events = new LinkedBlockingQueue<>();
      WaClient client = WaClient.builder(InMemoryAuthState.create()).serverUri(sim.wsUri())
          .certificateVerifier(sim.trustedVerifier()).listener(events::add)
          .initialPreKeyCount(30).build();
      fleet.members.add(new Member(client, events));
    }
    // Pairing one at a time, as a person would scan: concurrent pairings are not what is
    // measured, and the connections that follow all run at once.
    for (int from = 0; from < count; from += PAIRING_WINDOW) {
      List<Member> window = fleet.members.subList(from, Math.min(count, from + PAIRING_WINDOW));
      window.forEach(m -> m.client().connect());
      for (int i = 0; i < window.size(); i++) {
        QrCodeUpdated qr = fleet.next(window.get(i), QrCodeUpdated.class);
        admin.scan(phonePrefix + String.format("%05d", from + i), qr.qr());
      }
      for (Member member : window) {
        fleet.next(member, PairSuccess.class);
        Disconnected restart = fleet.next(member, Disconnected.class);
        if (restart.reason() != DisconnectReason.RESTART_REQUIRED) {
          throw new AssertionError("pairing ended with " + restart);
        }
      }
    }
    return fleet;
  }

  public List<Member> members() {
    return members;
  }

  /** Connects every paired client at once and waits until each is Connected. */
  public void connectAll() throws InterruptedException {
    members.forEach(m -> m.client().connect());
    for (Member member : members) {
      next(member, Connected.class);
    }
  }

  @Override
  public void close() {
    members.forEach(m -> m.client().close());
  }

  private <T extends WaEvent> T next(Member member, Class<T> type) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      WaEvent event = left <= 0 ? null : member.events().poll(left, TimeUnit.NANOSECONDS);
      if (event == null) {
        throw new AssertionError("no " + type.getSimpleName() + " within " + wait);
      }
      if (type.isInstance(event)) {
        return type.cast(event);
      }
      if (event instanceof Disconnected || event instanceof io.wafleet.client.event.LoggedOut) {
        throw new AssertionError("expected " + type.getSimpleName() + ", connection ended: " + event);
      }
    }
  }
}
