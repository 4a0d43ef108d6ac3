package io.wafleet.connector.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConnectorConfigTest {

  private static final String KEYS = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);

  private static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("GOOGLE_CLOUD_PROJECT", "prod-project");
    env.put("WAFLEET_SESSION_KEYS", KEYS);
    return env;
  }

  @Test
  void defaults_pointAtWhatsApp_withItsRootKey_andCloudRunSettings() {
    Map<String, String> env = minimal();
    env.put("K_REVISION", "connector-00042-abc");
    ConnectorConfig c = ConnectorConfig.fromEnv(env);
    assertEquals("prod-project", c.projectId());
    assertNull(c.emulatorHost());
    assertEquals(URI.create("wss://web.whatsapp.com/ws/chat"), c.waEndpoint());
    assertNull(c.waRootKey(), "WhatsApp's own root unless overridden");
    assertTrue(c.instanceId().matches("connector-00042-abc-[0-9a-f]{8}"), c.instanceId());
    assertEquals(8080, c.port());
    assertEquals(Duration.ofSeconds(60), c.connectTimeout());
    assertEquals(Duration.ofSeconds(30), c.leaseTtl());
    assertEquals(Duration.ofSeconds(10), c.leaseRenewEvery());
    assertEquals(Duration.ofSeconds(5), c.leaseSkew());
    assertEquals(4, c.claimParallelism());
    assertEquals(25, c.claimBatch());
    assertEquals(3000, c.maxAccounts());
    assertEquals(2, c.fairShareSlack());
    assertEquals("dev", c.version());
    assertEquals(10, c.loopRetries());
    assertEquals(Duration.ofMinutes(10), c.loopWindow());
    assertEquals(3, c.timeoutsBeforeQr());
    assertEquals(20, c.outboxMessagesPerMinute());
    assertEquals(5, c.outboxMaxAttempts());
    assertEquals(16, c.clientThreads());
    assertEquals(Duration.ofDays(12), c.phoneOfflineWarnAfter());
    assertEquals(Duration.ofMinutes(1), c.activityWriteEvery());
    assertEquals(32, c.workerThreads());
    assertEquals(Duration.ofSeconds(30), c.keepAliveInterval(), "WhatsApp Web's keepalive");
    assertEquals(Duration.ofSeconds(10), c.keepAliveTimeout());
  }

  @Test
  void everyVariable_isRead() {
    Map<String, String> env = new HashMap<>();
    env.put("FIRESTORE_EMULATOR_HOST", "127.0.0.1:8081");
    env.put("WAFLEET_SESSION_KEYS", KEYS);
    env.put("WAFLEET_WA_ENDPOINT", "ws://127.0.0.1:8090/ws/chat");
    env.put("WAFLEET_WA_ROOT_KEY", "11".repeat(32));
    env.put("WAFLEET_INSTANCE_ID", "local-1");
    env.put("PORT", "9000");
    env.put("WAFLEET_CONNECT_TIMEOUT_SECONDS", "20");
    env.put("WAFLEET_LEASE_TTL_SECONDS", "12");
    env.put("WAFLEET_LEASE_RENEW_SECONDS", "4");
    env.put("WAFLEET_LEASE_SKEW_SECONDS", "2");
    env.put("WAFLEET_CLAIM_PARALLELISM", "3");
    env.put("WAFLEET_CLAIM_BATCH", "40");
    env.put("WAFLEET_MAX_ACCOUNTS", "50");
    env.put("WAFLEET_FAIR_SHARE_SLACK", "0");
    env.put("WAFLEET_VERSION", "1.2.3");
    env.put("WAFLEET_RECONNECT_LOOP_RETRIES", "5");
    env.put("WAFLEET_RECONNECT_LOOP_WINDOW_SECONDS", "120");
    env.put("WAFLEET_TIMEOUTS_BEFORE_QR", "7");
    env.put("WAFLEET_OUTBOX_MESSAGES_PER_MINUTE", "6");
    env.put("WAFLEET_OUTBOX_MAX_ATTEMPTS", "9");
    env.put("WAFLEET_CLIENT_THREADS", "4");
    env.put("WAFLEET_PHONE_OFFLINE_WARN_DAYS", "10");
    env.put("WAFLEET_ACTIVITY_WRITE_SECONDS", "30");
    env.put("WAFLEET_WORKER_THREADS", "8");
    env.put("WAFLEET_KEEPALIVE_SECONDS", "15");
    env.put("WAFLEET_KEEPALIVE_TIMEOUT_SECONDS", "5");
    ConnectorConfig c = ConnectorConfig.fromEnv(env);
    assertEquals("demo-wafleet", c.projectId(), "emulator without a project uses the local project");
    assertEquals("127.0.0.1:8081", c.emulatorHost());
    assertEquals(URI.create("ws://127.0.0.1:8090/ws/chat"), c.waEndpoint());
    byte[] root = new byte[32];
    java.util.Arrays.fill(root, (byte) 0x11);
    assertArrayEquals(root, c.waRootKey());
    assertEquals("local-1", c.instanceId());
    assertEquals(9000, c.port());
    assertEquals(Duration.ofSeconds(20), c.connectTimeout());
    assertEquals(Duration.ofSeconds(12), c.leaseTtl());
    assertEquals(Duration.ofSeconds(4), c.leaseRenewEvery());
    assertEquals(Duration.ofSeconds(2), c.leaseSkew());
    assertEquals(3, c.claimParallelism());
    assertEquals(40, c.claimBatch());
    assertEquals(50, c.maxAccounts());
    assertEquals(0, c.fairShareSlack());
    assertEquals("1.2.3", c.version());
    assertEquals(5, c.loopRetries());
    assertEquals(Duration.ofMinutes(2), c.loopWindow());
    assertEquals(7, c.timeoutsBeforeQr());
    assertEquals(6, c.outboxMessagesPerMinute());
    assertEquals(9, c.outboxMaxAttempts());
    assertEquals(4, c.clientThreads());
    assertEquals(Duration.ofDays(10), c.phoneOfflineWarnAfter());
    assertEquals(Duration.ofSeconds(30), c.activityWriteEvery());
    assertEquals(8, c.workerThreads());
    assertEquals(Duration.ofSeconds(15), c.keepAliveInterval());
    assertEquals(Duration.ofSeconds(5), c.keepAliveTimeout());
  }

  @Test
  void badValues_areRefused_withTheVariableNamed() {
    assertRefused(Map.of("GOOGLE_CLOUD_PROJECT", ""), "GOOGLE_CLOUD_PROJECT is required");
    assertRefused(Map.of("WAFLEET_SESSION_KEYS", ""), "WAFLEET_SESSION_KEYS is required");
    assertRefused(Map.of("WAFLEET_SESSION_KEYS", "k1:AAAA"), "WAFLEET_SESSION_KEYS: key 'k1' must be 32 bytes");
    assertRefused(Map.of("WAFLEET_WA_ENDPOINT", "https://web.whatsapp.com"), "WAFLEET_WA_ENDPOINT must be a ws://");
    assertRefused(Map.of("WAFLEET_WA_ENDPOINT", "ws://bad host"), "WAFLEET_WA_ENDPOINT is not a URL");
    assertRefused(Map.of("WAFLEET_WA_ROOT_KEY", "abcd"), "WAFLEET_WA_ROOT_KEY: root key has 3 bytes");
    assertRefused(Map.of("PORT", "http"), "PORT must be a whole number between 0 and 65535");
    assertRefused(Map.of("PORT", "70000"), "PORT must be between 0 and 65535");
    assertRefused(Map.of("WAFLEET_CONNECT_TIMEOUT_SECONDS", "0"), "WAFLEET_CONNECT_TIMEOUT_SECONDS must be between 1");
    assertRefused(Map.of("WAFLEET_LEASE_TTL_SECONDS", "10", "WAFLEET_LEASE_RENEW_SECONDS", "10"),
        "WAFLEET_LEASE_RENEW_SECONDS must be shorter than WAFLEET_LEASE_TTL_SECONDS");
    assertRefused(Map.of("WAFLEET_CLAIM_BATCH", "501"), "WAFLEET_CLAIM_BATCH must be between 1");
    assertRefused(Map.of("WAFLEET_CLAIM_PARALLELISM", "-1"), "WAFLEET_CLAIM_PARALLELISM must be between 1");
    assertRefused(Map.of("WAFLEET_MAX_ACCOUNTS", "many"), "WAFLEET_MAX_ACCOUNTS must be a whole number");
    assertRefused(Map.of("WAFLEET_FAIR_SHARE_SLACK", "-2"), "WAFLEET_FAIR_SHARE_SLACK must be between 0");
    assertRefused(Map.of("WAFLEET_INSTANCE_ID", "a/b"), "WAFLEET_INSTANCE_ID must be");
    assertRefused(Map.of("WAFLEET_RECONNECT_LOOP_RETRIES", "1"), "WAFLEET_RECONNECT_LOOP_RETRIES must be between 2");
    assertRefused(Map.of("WAFLEET_RECONNECT_LOOP_WINDOW_SECONDS", "5"),
        "WAFLEET_RECONNECT_LOOP_WINDOW_SECONDS must be between 10");
    assertRefused(Map.of("WAFLEET_TIMEOUTS_BEFORE_QR", "0"), "WAFLEET_TIMEOUTS_BEFORE_QR must be between 1");
    assertRefused(Map.of("WAFLEET_OUTBOX_MESSAGES_PER_MINUTE", "601"),
        "WAFLEET_OUTBOX_MESSAGES_PER_MINUTE must be between 1 and 600");
    assertRefused(Map.of("WAFLEET_OUTBOX_MAX_ATTEMPTS", "x"), "WAFLEET_OUTBOX_MAX_ATTEMPTS must be a whole number");
    assertRefused(Map.of("WAFLEET_CLIENT_THREADS", "0"), "WAFLEET_CLIENT_THREADS must be between 1");
    assertRefused(Map.of("WAFLEET_PHONE_OFFLINE_WARN_DAYS", "31"), "WAFLEET_PHONE_OFFLINE_WARN_DAYS must be between 1 and 30");
    assertRefused(Map.of("WAFLEET_ACTIVITY_WRITE_SECONDS", "0"), "WAFLEET_ACTIVITY_WRITE_SECONDS must be between 1");
    assertRefused(Map.of("WAFLEET_WORKER_THREADS", "0"), "WAFLEET_WORKER_THREADS must be between 1 and 1024");
    assertRefused(Map.of("WAFLEET_KEEPALIVE_SECONDS", "0"), "WAFLEET_KEEPALIVE_SECONDS must be between 1 and 600");
    assertRefused(Map.of("WAFLEET_KEEPALIVE_TIMEOUT_SECONDS", "x"),
        "WAFLEET_KEEPALIVE_TIMEOUT_SECONDS must be a whole number");
  }

  @Test
  void toString_neverShowsKeyMaterial() {
    Map<String, String> env = minimal();
    env.put("WAFLEET_WA_ROOT_KEY", "11".repeat(32));
    String text = ConnectorConfig.fromEnv(env).toString();
    assertFalse(text.contains(KEYS.substring(3)), text);
    assertFalse(text.contains("1111"), text);
    assertTrue(text.contains("sessionKeys=<redacted>"), text);
  }

  private static void assertRefused(Map<String, String> override, String expectedStart) {
    Map<String, String> env = minimal();
    env.putAll(override);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConnectorConfig.fromEnv(env));
    assertTrue(e.getMessage().startsWith(expectedStart), "message was: " + e.getMessage());
  }
}
