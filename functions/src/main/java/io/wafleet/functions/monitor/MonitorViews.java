package io.wafleet.functions.monitor;

import io.wafleet.common.model.Heartbeat;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON shapes of what the monitors compute, shared by the admin API and the monitor endpoints. */
public final class MonitorViews {

  private MonitorViews() {}

  public static Map<String, Object> coverage(Coverage c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", c.from());
    m.put("to", c.to());
    m.put("minutesInWindow", c.minutesInWindow());
    m.put("minutesWithHeartbeat", c.minutesWithHeartbeat());
    m.put("minutesWithLiveConnector", c.minutesWithLiveConnector());
    m.put("missedMinutes", c.missedMinutes());
    m.put("coverage", c.ratio());
    m.put("gaps", c.gaps().stream().map(g -> {
      Map<String, Object> gap = new LinkedHashMap<>();
      gap.put("from", g.from());
      gap.put("to", g.to());
      gap.put("minutes", g.minutes());
      return gap;
    }).toList());
    return m;
  }

  public static Map<String, Object> heartbeat(Heartbeat h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bucket", h.bucket());
    m.put("connectorsAlive", h.connectorsAlive());
    m.put("countsByStatus", h.countsByStatus());
    m.put("connectorMemoryBytes", h.connectorMemoryBytes());
    m.put("driftMs", h.driftMs());
    m.put("at", h.at());
    return m;
  }
}
