package io.wafleet.simulator.server;

import io.wafleet.client.model.Jid;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live connections, for fault injection and logout. Thread-safe (concurrent set).
 */
public final class ConnectionRegistry {

  private final Set<Connection> live = ConcurrentHashMap.newKeySet();

  void add(Connection connection) {
    live.add(connection);
  }

  void remove(Connection connection) {
    live.remove(connection);
  }

  /** Every live connection. */
  public List<Connection> all() {
    return List.copyOf(live);
  }

  /** Live connections logged in, or pairing, as that device JID. */
  public List<Connection> of(Jid deviceJid) {
    String wanted = deviceJid.toString();
    return live.stream()
        .filter(c -> c.deviceJid().map(jid -> jid.toString().equals(wanted)).orElse(false))
        .toList();
  }
}
