package io.wafleet.simulator.fault;

import io.wafleet.client.model.Jid;
import io.wafleet.simulator.server.Connection;
import io.wafleet.simulator.server.ConnectionRegistry;
import io.wafleet.simulator.server.Stanzas;
import io.wafleet.simulator.server.Stats.Counter;
import io.wafleet.simulator.server.Stats;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link Fault}s to live connections. Thread-safe (stateless over thread-safe parts).
 */
public final class FaultInjector {

  private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

  private final ConnectionRegistry connections;
  private final Stats stats;

  public FaultInjector(ConnectionRegistry connections, Stats stats) {
    this.connections = connections;
    this.stats = stats;
  }

  /**
   * Injects the fault into every targeted connection; returns how many were affected.
   *
   * @throws IllegalArgumentException if the target is neither {@code all} nor a device JID
   */
  public int inject(Fault fault) {
    List<Connection> targets = Fault.ALL.equals(fault.target())
        ? connections.all()
        : connections.of(parseTarget(fault.target()));
    for (Connection connection : targets) {
      switch (fault.kind()) {
        case DROP -> connection.drop("fault");
        case STALL -> connection.stall();
        case STREAM_ERROR -> connection.sendAndClose(Stanzas.streamErrorFor(fault.code()));
      }
    }
    stats.increment(Counter.FAULTS_INJECTED);
    log.info("fault injected kind={} code={} affected={}", fault.kind(), fault.code(), targets.size());
    return targets.size();
  }

  private static Jid parseTarget(String target) {
    Jid jid = Jid.tryParse(target);
    if (jid == null) {
      throw new IllegalArgumentException("target must be a device jid or all");
    }
    return jid;
  }
}
