package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MonitorSettingsTest {

  @Test
  void defaults_areTenMinutesOneHourLogChannelAndNoRestarts() {
    MonitorSettings s = MonitorSettings.fromEnv(Map.of());
    assertEquals(Duration.ofMinutes(10), s.disconnectThreshold());
    assertEquals(Duration.ofHours(1), s.alertThrottle());
    assertEquals(Optional.empty(), s.telegram());
    assertEquals(Optional.empty(), s.connectorService());
    assertEquals(Optional.empty(), s.connectorPidFile());
  }

  @Test
  void connectorPidFile_isTheLocalRestartTarget_andExcludesACloudRunService() {
    MonitorSettings s = MonitorSettings.fromEnv(Map.of("WAFLEET_CONNECTOR_PID_FILE", " /tmp/wafleet/connector.pid "));
    assertEquals(Optional.of(java.nio.file.Path.of("/tmp/wafleet/connector.pid")), s.connectorPidFile());
    assertEquals(Optional.empty(), s.connectorService());
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> MonitorSettings.fromEnv(
        Map.of("WAFLEET_CONNECTOR_PID_FILE", "/tmp/c.pid",
            "WAFLEET_CONNECTOR_SERVICE", "projects/p/locations/r/services/wafleet-connector")));
    assertEquals("set WAFLEET_CONNECTOR_SERVICE (Cloud Run) or WAFLEET_CONNECTOR_PID_FILE (local stack), not both",
        both.getMessage());
  }

  @Test
  void telegramAndConnectorService_parse_andTheTokenIsNeverPrinted() {
    MonitorSettings s = MonitorSettings.fromEnv(Map.of("WAFLEET_TELEGRAM_BOT_TOKEN", "123:secret-token",
        "WAFLEET_TELEGRAM_CHAT_ID", "-100", "WAFLEET_TELEGRAM_API_URL", "http://127.0.0.1:9999",
        "WAFLEET_CONNECTOR_SERVICE", "projects/p/locations/r/services/wafleet-connector",
        "WAFLEET_DISCONNECT_INCIDENT_MINUTES", "15"));
    assertEquals(URI.create("http://127.0.0.1:9999"), s.telegram().orElseThrow().apiUrl());
    assertEquals(Duration.ofMinutes(15), s.disconnectThreshold());
    assertTrue(s.connectorService().isPresent());
    assertFalse(s.toString().contains("secret-token"), s.toString());
  }

  @Test
  void badValues_nameTheVariable() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MonitorSettings.fromEnv(
        Map.of("WAFLEET_TELEGRAM_BOT_TOKEN", "x"))).getMessage().contains("WAFLEET_TELEGRAM_CHAT_ID"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MonitorSettings.fromEnv(
        Map.of("WAFLEET_DISCONNECT_INCIDENT_MINUTES", "0"))).getMessage().contains("WAFLEET_DISCONNECT_INCIDENT_MINUTES"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MonitorSettings.fromEnv(
        Map.of("WAFLEET_ALERT_THROTTLE_MINUTES", "soon"))).getMessage().contains("WAFLEET_ALERT_THROTTLE_MINUTES"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MonitorSettings.fromEnv(
        Map.of("WAFLEET_TELEGRAM_BOT_TOKEN", "x", "WAFLEET_TELEGRAM_CHAT_ID", "1", "WAFLEET_TELEGRAM_API_URL", "ftp://h")))
        .getMessage().contains("WAFLEET_TELEGRAM_API_URL"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> MonitorSettings.fromEnv(
        Map.of("WAFLEET_CONNECTOR_SERVICE", "wafleet-connector"))).getMessage().contains("WAFLEET_CONNECTOR_SERVICE"));
  }
}
