package io.wafleet.simulator.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.auth.Credentials;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoMainIT {

  @TempDir Path state;

  @Test
  void demo_pairsThenLogsInAgainFromDisk_andLeavesAPairedSession() throws Exception {
    try (WaSimulator simulator = WaSimulator.start(
        SimulatorConfig.builder().postHandshakeDelay(Duration.ofMillis(20)).build())) {
      DemoMain.main(new String[] {"--ws", simulator.wsUri().toString(),
          "--admin", simulator.adminUri().toString(), "--state", state.toString()});
      DemoAdmin admin = new DemoAdmin(simulator.adminUri());
      assertEquals(java.util.List.of("Hello from wafleet! Your order has shipped."),
          admin.inboxTexts(DemoConversation.CUSTOMER));
      String receipts = get(simulator.adminUri().resolve("phones/" + DemoConversation.CUSTOMER + "/receipts"));
      assertTrue(receipts.contains("40700000001:1@s.whatsapp.net"),
          "the customer's phone got our delivery receipt for its answer: " + receipts);
    }
    Credentials stored = DirectoryAuthState.open(state).credentials();
    assertTrue(stored.isPaired(), "the demo leaves a paired session on disk");
    assertTrue(Files.list(state.resolve("keys")).findAny().isPresent(), "pre-keys were stored");
  }

  private static String get(java.net.URI uri) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri).GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void directoryAuthState_keysRoundTripAndDelete() {
    DirectoryAuthState auth = DirectoryAuthState.open(state);
    auth.keys().store("session", Map.of("100000000000001_1.1", new byte[] {1, 2}));
    assertEquals(2, DirectoryAuthState.open(state).keys().load("session", java.util.List.of("100000000000001_1.1"))
        .get("100000000000001_1.1").length);
    java.util.HashMap<String, byte[]> delete = new java.util.HashMap<>();
    delete.put("100000000000001_1.1", null);
    auth.keys().store("session", delete);
    assertTrue(auth.keys().load("session", java.util.List.of("100000000000001_1.1")).isEmpty());
    auth.keys().store("unacked-message", Map.of("40700000002@s.whatsapp.net|3EB0/../x", new byte[] {7}));
    assertEquals(1, auth.keys().load("unacked-message", java.util.List.of("40700000002@s.whatsapp.net|3EB0/../x"))
        .get("40700000002@s.whatsapp.net|3EB0/../x").length, "any id, even with '/' and '..', stays inside keys/");
    assertThrows(IllegalArgumentException.class, () -> auth.keys().store("../Bad", Map.of("x", new byte[1])));
  }

  @Test
  void rootKey_fromEnvValueOrAdminApi_andABadValueNamesTheVariable() throws Exception {
    try (WaSimulator simulator = WaSimulator.start(SimulatorConfig.builder().build())) {
      DemoAdmin admin = new DemoAdmin(simulator.adminUri());
      byte[] root = simulator.rootPublicKey();

      assertArrayEquals(root, DemoMain.rootKey(null, admin));
      assertArrayEquals(root, DemoMain.rootKey(" ", admin));
      assertArrayEquals(root, DemoMain.rootKey(io.wafleet.client.crypto.Hex.encode(root), null));
      IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
          () -> DemoMain.rootKey("abcd", null));
      assertEquals("WAFLEET_WA_ROOT_KEY: root key has 3 bytes, expected 32 (or 33 with the 0x05 "
          + "prefix)", bad.getMessage());
    }
  }

  @Test
  void demoArgs_missingOption_isRejectedWithUsage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DemoArgs.parse(new String[] {"--ws", "ws://127.0.0.1:1/ws/chat"}));
    assertTrue(e.getMessage().contains("usage"), e.getMessage());
  }
}
