package io.wafleet.connector.app;

import io.wafleet.common.store.AccountStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.connector.testing.ConnectorEnv;
import io.wafleet.connector.testing.ConnectorProcess;
import io.wafleet.connector.testing.Waits;
import io.wafleet.simulator.WaSimulator;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The connector processes of {@link ConnectorChaosIT}: each {@code ConnectorMain} in a child JVM
 * under a fresh instance id ({@code chaos-1}, {@code chaos-2}, ...), with leases short enough for a
 * take-over within seconds (16 s) and the outbox paced at its maximum. Kills one holding accounts with
 * kill -9 and starts its replacement at once; a process that ended by itself (a lost lease ends it
 * with exit code 3) is replaced too, and counted. Not thread-safe: the test's thread only.
 */
final class ChaosFleet implements AutoCloseable {

  private final WaSimulator simulator;
  private final FirestoreEmulatorExtension firestore;
  private final Map<String, ConnectorProcess> live = new LinkedHashMap<>();
  private final List<ConnectorProcess> all = new ArrayList<>();
  private int started;
  private int kills;
  private int selfExits;

  ChaosFleet(WaSimulator simulator, FirestoreEmulatorExtension firestore) {
    this.simulator = Objects.requireNonNull(simulator, "simulator == null");
    this.firestore = Objects.requireNonNull(firestore, "firestore == null");
  }

  /** Starts one more process under a new instance id; returns the id. */
  String start() throws IOException {
    String instance = "chaos-" + (++started);
    Map<String, String> env = ConnectorEnv.of(simulator, firestore, instance, 9);
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    // A dead instance's accounts are taken 16 s after its last renewal; a live one declares its lease
    // lost only after 12 s without a renewal landing (on a loaded 2-core machine the emulator has
    // taken 6 s for one transaction: a shorter lease ended healthy processes about once a minute).
    env.put("WAFLEET_LEASE_TTL_SECONDS", "15");
    env.put("WAFLEET_LEASE_RENEW_SECONDS", "3");
    env.put("WAFLEET_LEASE_SKEW_SECONDS", "1");
    env.put("WAFLEET_FAIR_SHARE_SLACK", "0");
    env.put("WAFLEET_OUTBOX_MESSAGES_PER_MINUTE", "600");
    ConnectorProcess process = ConnectorProcess.start(instance, env);
    live.put(instance, process);
    all.add(process);
    return instance;
  }

  /** Waits until every live process has finished its boot restore. */
  void awaitBootRestoreDone(Duration limit) {
    live.forEach((instance, p) -> Waits.until(instance + " past its boot restore", limit, () -> {
      if (!p.isAlive()) {
        throw new AssertionError(instance + " ended:\n" + output(p));
      }
      return output(p).contains("boot restore claimed accounts=");
    }));
  }

  /**
   * kill -9 of a live process that holds at least one account (chosen by {@code random}; waits for
   * one to hold accounts), then a replacement started at once.
   */
  void killOneHoldingAccounts(Random random, AccountStore accounts, List<String> ids, int progress, Duration limit)
      throws Exception {
    Map<String, Long> held = Waits.until("a live connector holding accounts", limit,
        () -> {
          replaceExited();
          Map<String, Long> owners = owners(accounts, ids);
          owners.keySet().retainAll(live.keySet());
          return owners;
        }, owners -> !owners.isEmpty(), Map::toString);
    List<String> candidates = new ArrayList<>(held.keySet());
    candidates.sort(null);
    String victim = candidates.get(random.nextInt(candidates.size()));
    live.remove(victim).kill();
    kills++;
    String replacement = start();
    System.out.printf("chaos: kill -9 #%d of %s (holding %d accounts) at progress %d; %s started%n", kills, victim,
        held.get(victim), progress, replacement);
  }

  /** Replaces every process that ended by itself (and prints why it ended). */
  void replaceExited() throws IOException {
    for (String instance : List.copyOf(live.keySet())) {
      ConnectorProcess p = live.get(instance);
      if (!p.isAlive()) {
        live.remove(instance);
        selfExits++;
        String out = output(p);
        System.out.printf("chaos: %s ended by itself; last output:%n%s%n", instance,
            out.substring(Math.max(0, out.length() - 2000)));
        System.out.printf("chaos: %s started in its place%n", start());
      }
    }
  }

  /** Accounts per owning instance, as Firestore says now. */
  Map<String, Long> owners(AccountStore accounts, List<String> ids) {
    return ids.stream().map(id -> accounts.load(id).orElseThrow()).filter(a -> a.owner() != null)
        .collect(Collectors.groupingBy(a -> a.owner().instanceId(), LinkedHashMap::new, Collectors.counting()));
  }

  /** How many lines of every process's log (dead ones too) contain {@code text}. */
  long countInLogs(String text) {
    long n = 0;
    for (ConnectorProcess p : all) {
      n += output(p).lines().filter(l -> l.contains(text)).count();
    }
    return n;
  }

  int kills() {
    return kills;
  }

  int selfExits() {
    return selfExits;
  }

  int started() {
    return started;
  }

  private static String output(ConnectorProcess p) {
    try {
      return p.output();
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (ConnectorProcess p : all) {
      p.close();
    }
  }
}
