package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Argument parsing of {@link SimulatorMain} (fast; the child-JVM run is SimulatorMainIT). */
class SimulatorMainTest {

  @Test
  void parse_readsPortsAndDelay() {
    SimulatorConfig config = SimulatorMain.parse(new String[] {"--port", "8090", "--admin-port", "0",
        "--post-handshake-delay-ms", "250"});
    assertEquals(8090, config.wsPort());
    assertEquals(0, config.adminPort());
    assertEquals(Duration.ofMillis(250), config.postHandshakeDelay());
  }

  @Test
  void parse_rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> SimulatorMain.parse(new String[] {}));
    assertThrows(IllegalArgumentException.class,
        () -> SimulatorMain.parse(new String[] {"--port", "1", "--admin-port"}));
    assertThrows(IllegalArgumentException.class,
        () -> SimulatorMain.parse(new String[] {"--port", "70000", "--admin-port", "0"}));
    assertThrows(IllegalArgumentException.class,
        () -> SimulatorMain.parse(new String[] {"--port", "-1", "--admin-port", "0"}));
    assertThrows(IllegalArgumentException.class,
        () -> SimulatorMain.parse(new String[] {"--port", "0", "--admin-port", "0", "--x", "1"}));
  }
}
