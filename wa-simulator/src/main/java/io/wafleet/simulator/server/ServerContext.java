package io.wafleet.simulator.server;

import io.wafleet.client.crypto.KeyPair;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.phone.PhoneBook;
import io.wafleet.simulator.relay.KeyBundles;
import io.wafleet.simulator.relay.Relay;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What every connection shares: configuration, phones, counters, the live-connection registry, a
 * scheduler for delayed sends (§1.4), the pool that runs every connection's serial executor, and the server's Noise static key with its certificate chain
 * (§2.4), the message relay and the pre-key bundles (§8). Immutable holder of thread-safe parts; thread-safe.
 */
public record ServerContext(SimulatorConfig config, PhoneBook phones, Stats stats,
    ConnectionRegistry connections, ScheduledExecutorService scheduler,
    Executor connectionThreads, KeyPair serverStatic,
    byte[] certChain, Relay relay, KeyBundles keys) {

  public ServerContext {
    Objects.requireNonNull(config, "config == null");
    Objects.requireNonNull(phones, "phones == null");
    Objects.requireNonNull(stats, "stats == null");
    Objects.requireNonNull(connections, "connections == null");
    Objects.requireNonNull(scheduler, "scheduler == null");
    Objects.requireNonNull(connectionThreads, "connectionThreads == null");
    Objects.requireNonNull(serverStatic, "serverStatic == null");
    Objects.requireNonNull(relay, "relay == null");
    Objects.requireNonNull(keys, "keys == null");
    certChain = certChain.clone();
  }

  @Override
  public byte[] certChain() {
    return certChain.clone();
  }
}
