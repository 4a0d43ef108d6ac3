package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProbeConfigTest {

  @Test
  void environment_thenTheConfigDocumentOverridesIt() {
    ProbeConfig env = ProbeConfig.fromEnv(Map.of("WAFLEET_PROBE_OUTBOUND_ACCOUNT", "p1",
        "WAFLEET_PROBE_OUTBOUND_TO", "+40700000009", "WAFLEET_PROBE_TIMEOUT_SECONDS", "20"));
    assertEquals(new ProbeConfig(Optional.of("p1"), Optional.of("+40700000009"), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(20)), env);
    ProbeConfig stored = env.overriddenBy(Map.of(ProbeConfig.OUTBOUND_ACCOUNT, "p2", ProbeConfig.TIMEOUT_SECONDS, 30L));
    assertEquals(new ProbeConfig(Optional.of("p2"), Optional.of("+40700000009"), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(30)), stored);
    assertEquals(Optional.of("sender"), env.overriddenBy(Map.of(ProbeConfig.INBOUND_SENDER, "sender",
        ProbeConfig.INBOUND_ACCOUNT, "watched")).inboundSender());
    assertEquals(Optional.empty(), env.overriddenBy(Map.of(ProbeConfig.OUTBOUND_ACCOUNT, "", ProbeConfig.OUTBOUND_TO, ""))
        .outboundAccount(), "empty strings switch the outbound probe off");
    assertEquals(ProbeConfig.defaults(), ProbeConfig.fromEnv(Map.of()));
  }

  @Test
  void badValues_nameTheVariable() {
    assertEquals("WAFLEET_PROBE_TIMEOUT_SECONDS must be between 1 and 50", assertThrows(IllegalArgumentException.class,
        () -> ProbeConfig.fromEnv(Map.of("WAFLEET_PROBE_TIMEOUT_SECONDS", "90"))).getMessage());
    assertEquals("set both WAFLEET_PROBE_OUTBOUND_ACCOUNT and WAFLEET_PROBE_OUTBOUND_TO, or neither",
        assertThrows(IllegalArgumentException.class,
            () -> ProbeConfig.fromEnv(Map.of("WAFLEET_PROBE_OUTBOUND_ACCOUNT", "p1"))).getMessage());
    assertEquals("WAFLEET_PROBE_TIMEOUT_SECONDS must be a positive whole number of seconds",
        assertThrows(IllegalArgumentException.class,
            () -> ProbeConfig.fromEnv(Map.of("WAFLEET_PROBE_TIMEOUT_SECONDS", "soon"))).getMessage());
    assertEquals("set both WAFLEET_PROBE_INBOUND_SENDER and WAFLEET_PROBE_INBOUND_ACCOUNT, or neither",
        assertThrows(IllegalArgumentException.class,
            () -> ProbeConfig.fromEnv(Map.of("WAFLEET_PROBE_INBOUND_ACCOUNT", "a1"))).getMessage());
  }
}
