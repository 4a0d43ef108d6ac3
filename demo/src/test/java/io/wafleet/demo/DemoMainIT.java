package io.wafleet.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.DirectoryAuthState;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoMainIT {

  @TempDir Path state;

  @Test
  void demo_pairsThenLogsInAgainFromDisk_andLeavesAPairedSession() throws Exception {
    try (WaSimulator simulator = WaSimulator.start(
        SimulatorConfig.builder().postHandshakeDelay(Duration.ofMillis(20)).build())) {
      DemoMain.main(new String[] {"--ws", simulator.wsUri().toString(),
          "--admin", simulator.adminUri().toString(), "--state", state.toString()});
      SimulatorAdminClient admin = new SimulatorAdminClient(simulator.adminUri());
      assertEquals(List.of("Hello from wafleet! Your order has shipped."),
          admin.inboxTexts(DemoConversation.CUSTOMER));
      JsonNode receipts = admin.receipts(DemoConversation.CUSTOMER);
      assertTrue(receipts.toString().contains("\"40700000001:1@s.whatsapp.net\""),
          "the customer's phone got our delivery receipt for its answer: " + receipts);
    }
    Credentials stored = DirectoryAuthState.open(state).credentials();
    assertTrue(stored.isPaired(), "the demo leaves a paired session on disk");
    try (Stream<Path> keys = Files.list(state.resolve("keys"))) {
      assertTrue(keys.findAny().isPresent(), "pre-keys were stored");
    }
  }

  @Test
  void rootKey_fromEnvValueOrAdminApi_andABadValueNamesTheVariable() throws Exception {
    try (WaSimulator simulator = WaSimulator.start(SimulatorConfig.builder().build())) {
      SimulatorAdminClient admin = new SimulatorAdminClient(simulator.adminUri());
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
