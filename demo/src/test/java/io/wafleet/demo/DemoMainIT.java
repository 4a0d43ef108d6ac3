package io.wafleet.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.client.crypto.Hex;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's story through the real parts, as {@code ./wafleet demo} runs it: the Firestore emulator,
 * the simulator, the functions API (the Functions Framework invoker) and the connector under
 * {@code scripts/restart-loop.sh}, each a real server; the API and the connector in child processes
 * on this module's test class path, so the demo's kill -9 hits a real process.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class DemoMainIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = FirestoreEmulatorExtension.perTestClass();

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final String TOKEN = "demo-test-admin-token-0123456789abcdefghij";

  @TempDir Path dir;
  private final List<Process> children = new ArrayList<>();
  /** The child processes' logs, kept after the test: target/demo-it/<time>/. */
  private Path logs;

  @BeforeEach
  void logDir() throws IOException {
    logs = Files.createDirectories(Path.of("target", "demo-it", Long.toString(System.currentTimeMillis())));
  }

  @AfterEach
  void stopChildren() throws Exception {
    for (Process child : children) {
      child.destroy(); // SIGTERM: the restart loop stops its connector, the invoker exits
      if (!child.waitFor(20, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  @Test
  void demo_pairsThreeAccounts_exchangesMessages_survivesKill9WithNoQr_andShowsAnUnlinkedDeviceLoggedOut()
      throws Exception {
    try (WaSimulator simulator = WaSimulator.start(SimulatorConfig.builder().build())) {
      int apiPort = freePort();
      Path pidFile = dir.resolve("connector.pid");
      Map<String, String> env = Map.of("FIRESTORE_EMULATOR_HOST", FIRESTORE.hostPort(),
          "GOOGLE_CLOUD_PROJECT", FIRESTORE.projectId(), "WAFLEET_ADMIN_TOKEN", TOKEN, "WAFLEET_LOG_FORMAT", "text");
      start("api", env, java("com.google.cloud.functions.invoker.runner.Invoker",
          "--target", "io.wafleet.functions.api.ApiFunction", "--port", Integer.toString(apiPort)));
      Map<String, String> connectorEnv = new java.util.HashMap<>(env);
      connectorEnv.putAll(Map.of("WAFLEET_SESSION_KEYS", "t:" + Base64.getEncoder().encodeToString(new byte[32]),
          "WAFLEET_WA_ENDPOINT", simulator.wsUri().toString(),
          "WAFLEET_WA_ROOT_KEY", Hex.encode(simulator.rootPublicKey()), "PORT", "0",
          "WAFLEET_LEASE_TTL_SECONDS", "10", "WAFLEET_LEASE_RENEW_SECONDS", "3", "WAFLEET_LEASE_SKEW_SECONDS", "2"));
      List<String> loop = new ArrayList<>(List.of(ROOT.resolve("scripts/restart-loop.sh").toString(), pidFile.toString()));
      loop.addAll(java("io.wafleet.connector.app.ConnectorMain"));
      start("connector", connectorEnv, loop);

      ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + apiPort), TOKEN);
      try {
        // Generous: on a loaded machine the invoker's JVM and its first Firestore call take minutes.
        await().atMost(Duration.ofMinutes(5)).ignoreExceptions().until(() -> api.get("/v1/health").status() == 200);
      } catch (ConditionTimeoutException e) {
        throw new AssertionError("the API did not answer /v1/health with 200; its log:\n" + Files.readString(logs.resolve("api.log")), e);
      }
      SimulatorAdminClient phones = new SimulatorAdminClient(simulator.adminUri());

      List<String> ids = new DemoMain(api, phones, new LocalConnector(pidFile)).run();

      assertEquals(3, ids.size());
      assertEquals(List.of(DemoMain.ORDER_TEXT), phones.inboxTexts(DemoMain.CUSTOMER));
      JsonNode sent = api.get("/v1/messages/demo-order-1").body();
      assertTrue(List.of("DELIVERED", "READ").contains(sent.path("status").asText()), sent.toString());
      for (String id : ids.subList(0, 2)) {
        assertEquals("CONNECTED", api.get("/v1/accounts/" + id).body().path("status").asText());
      }
      assertEquals("LOGGED_OUT", api.get("/v1/accounts/" + ids.get(2)).body().path("status").asText());
      assertEquals(200, api.get("/v1/accounts/" + ids.get(2) + "/qr?format=json").status(), "a fresh QR is ready");
    }
  }

  @Test
  void terminalQr_drawsTwoModulesPerCellWithAQuietZone() {
    String qr = TerminalQr.render("2@abc,def");
    String[] lines = qr.split("\n");
    // Version 1 at level L for this text: 21 modules + 2 x 4 quiet zone = 29 columns, 15 lines.
    assertEquals(15, lines.length);
    for (String line : lines) {
      assertEquals(29, line.length(), line);
    }
    assertEquals("█".repeat(29), lines[0], "the quiet zone is light");
  }

  @Test
  void demoArgs_missingOption_isRejectedWithUsage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DemoArgs.parse(new String[] {"--api", "http://127.0.0.1:1"}));
    assertTrue(e.getMessage().contains("usage"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> DemoArgs.parse(
        new String[] {"--api", "ftp://x", "--sim-admin", "http://127.0.0.1:2/", "--connector-pid-file", "p"}));
    assertTrue(bad.getMessage().startsWith("--api must be an http:// URL"), bad.getMessage());
  }

  private void start(String name, Map<String, String> env, List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    pb.environment().putAll(env);
    children.add(pb.start());
  }

  private static List<String> java(String main, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), main));
    command.addAll(List.of(args));
    return command;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
