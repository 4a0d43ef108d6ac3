package io.wafleet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wafleet.client.auth.InMemoryAuthState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WaClientBuilderTest {

  @Test
  void builder_nullAuthState_namesTheArgument() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> WaClient.builder(null));
    assertEquals("authState == null", e.getMessage());
  }

  @Test
  void builder_nonPositiveDurations_rejectedByName() {
    WaClient.Builder builder = WaClient.builder(InMemoryAuthState.create());
    assertEquals("connectTimeout <= 0", assertThrows(IllegalArgumentException.class,
        () -> builder.connectTimeout(Duration.ZERO)).getMessage());
    assertEquals("keepAliveInterval <= 0", assertThrows(IllegalArgumentException.class,
        () -> builder.keepAliveInterval(Duration.ofMillis(-1))).getMessage());
    assertEquals("queryTimeout == null", assertThrows(NullPointerException.class,
        () -> builder.queryTimeout(null)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.initialPreKeyCount(2));
    assertThrows(IllegalArgumentException.class, () -> builder.maxFrameLength(0));
  }

  @Test
  void keepAliveInterval_minAboveMaxOrBeyondADay_rejected() {
    WaClient.Builder builder = WaClient.builder(InMemoryAuthState.create());
    assertEquals("keepAliveInterval min > max", assertThrows(IllegalArgumentException.class,
        () -> builder.keepAliveInterval(Duration.ofSeconds(31), Duration.ofSeconds(30))).getMessage());
    assertEquals("keepAliveInterval min <= 0", assertThrows(IllegalArgumentException.class,
        () -> builder.keepAliveInterval(Duration.ZERO, Duration.ofSeconds(30))).getMessage());
    assertEquals("keepAliveInterval > 24 h", assertThrows(IllegalArgumentException.class,
        () -> builder.keepAliveInterval(Duration.ofHours(25))).getMessage());
    assertEquals("keepAliveInterval max > 24 h", assertThrows(IllegalArgumentException.class,
        () -> builder.keepAliveInterval(Duration.ofHours(1), Duration.ofDays(2))).getMessage());
    builder.keepAliveInterval(Duration.ofSeconds(30), Duration.ofSeconds(30));
    builder.keepAliveInterval(Duration.ofNanos(1));
  }

  @Test
  void newClient_isIdle_andCloseOrLogoutBeforeConnect() {
    WaClient client = WaClient.builder(InMemoryAuthState.create()).build();
    assertEquals(ConnectionState.IDLE, client.state());
    client.close();
    assertThrows(NotConnectedException.class, client::logout);
  }
}
