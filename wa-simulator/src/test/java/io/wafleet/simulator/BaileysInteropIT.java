package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Baileys against the simulator, both lines pinned in src/test/node/baileys/package.json:
 * 7.0.0-rc.9 (token dictionary v3) and 6.17.16 (dictionary v2, §1.2, §4.8). Each pairs by QR
 * through the admin API to 'open', restarts on saved auth to 'open' with no QR, survives a 515
 * stream-error fault by reconnecting to 'open', and gets its logged-out reason (401) on an
 * unlink. Needs Node.js 20+ and npm; without them this test fails, it never skips.
 */
class BaileysInteropIT {

  private static final Path DRIVER_DIR = Path.of(System.getProperty("basedir", "."))
      .resolve("src/test/node/baileys").toAbsolutePath();
  private static final String PHONE = "40700000001";
  /** The installed Baileys packages: 7.0.0-rc.9 and the alias of 6.17.16 (package.json). */
  static final List<String> PACKAGES = List.of("baileys", "baileys6");

  @TempDir
  Path temp;

  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeAll
  static void installBaileys() throws Exception {
    String version = run(DRIVER_DIR, 30, "node", "--version").trim();
    int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
    assertTrue(major >= 20, "install Node.js 20+ and npm (found node " + version + ")");
    if (!PACKAGES.stream().allMatch(p -> Files.isDirectory(DRIVER_DIR.resolve("node_modules/" + p)))) {
      run(DRIVER_DIR, 600, "npm", "ci", "--no-audit", "--no-fund");
    }
  }

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(sim.adminUri());
    assertEquals(201, admin.post("phones", Map.of("phone", PHONE)).status());
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @ParameterizedTest(name = "Baileys {0}")
  @ValueSource(strings = {"7", "6"})
  void baileys_pairsRestartsWithSavedAuthSurvives515AndIsLoggedOutOnUnlink(String line)
      throws Exception {
    Path auth = temp.resolve("auth");
    Path stderr = temp.resolve("driver-stderr.log");
    String deviceJid;
    try (NodeDriver driver =
        new NodeDriver(DRIVER_DIR, sim.wsUri().toString(), auth, stderr, line)) {
      String qr = driver.await("qr").path("qr").asText();
      SimulatorAdminClient.Reply scan = admin.post("phones/" + PHONE + "/scan", Map.of("qr", qr));
      assertEquals(200, scan.status(), scan.body() + "\n" + driver.stderr());
      deviceJid = scan.body().path("deviceJid").asText();
      JsonNode open = driver.await("open");
      assertEquals(deviceJid, open.path("user").path("id").asText(), open.toString());
      assertEquals(scan.body().path("lid").asText(), open.path("user").path("lid").asText());
      // The phone's welcome (docs/protocol.md §9.6) updates the auth state: let it land first.
      driver.awaitAnyTime("protocol", e -> e.path("type").asInt() == 5);
      assertTrue(driver.stop(), "driver exits on SIGTERM after saving its auth state");
    }
    try (NodeDriver driver =
        new NodeDriver(DRIVER_DIR, sim.wsUri().toString(), auth, stderr, line)) {
      driver.await("open");
      assertTrue(driver.seen().stream().noneMatch(e -> "qr".equals(e.path("event").asText())),
          "restart on saved auth shows no QR: " + driver.seen());
      SimulatorAdminClient.Reply restart = admin.post("faults",
          Map.of("kind", "stream-error", "code", 515, "target", deviceJid));
      assertEquals(1, restart.body().path("affected").asInt(), String.valueOf(restart.body()));
      assertEquals(515, driver.await("close").path("statusCode").asInt());
      driver.await("open");
      SimulatorAdminClient.Reply logout = admin.post("devices/" + deviceJid + "/logout", Map.of());
      assertEquals(200, logout.status(), String.valueOf(logout.body()));
      JsonNode close = driver.await("close");
      assertEquals(401, close.path("statusCode").asInt(), driver.seen() + "\n" + driver.stderr());
      assertTrue(driver.awaitExit(), "driver exits after 401");
    }
  }

  /**
   * Baileys' own {@code requestPairingCode} (§6.7) against the simulator: the phone enters the
   * code through the admin API, Baileys answers the notification with companion_finish, checks
   * pair-success with the ADV secret derived from the code exchange, restarts on 515 and opens.
   */
  @Test
  void baileys_pairsByCode_thenOpens() throws Exception {
    Path auth = temp.resolve("auth-code");
    Path stderr = temp.resolve("driver-code-stderr.log");
    try (NodeDriver driver = new NodeDriver(DRIVER_DIR, sim.wsUri().toString(), auth, stderr, "7")) {
      driver.await("qr");
      driver.command(Map.of("cmd", "pair-code", "phone", PHONE));
      String code = driver.await("pairing-code").path("code").asText();
      assertEquals(8, code.length(), code);
      SimulatorAdminClient.Reply wrong = admin.post("phones/" + PHONE + "/link-code",
          Map.of("code", code.endsWith("A") ? code.substring(0, 7) + "B" : code.substring(0, 7) + "A"));
      assertEquals(400, wrong.status(), wrong.body() + "\n" + driver.stderr());
      assertEquals("wrong-code", wrong.body().path("code").asText());
      SimulatorAdminClient.Reply entered = admin.post("phones/" + PHONE + "/link-code",
          Map.of("code", code));
      assertEquals(200, entered.status(), entered.body() + "\n" + driver.stderr());
      assertEquals(515, driver.await("close").path("statusCode").asInt(), driver.stderr());
      JsonNode open = driver.await("open");
      assertEquals(entered.body().path("deviceJid").asText(), open.path("user").path("id").asText(),
          open.toString());
      assertEquals(1, admin.stats().get("pairings").asInt());
    }
  }

  /**
   * Baileys does not wait for the answer to companion_hello (§6.7), so when the server refuses a
   * code, here the sixth for one number within the window (429 rate-overlimit), its
   * {@code requestPairingCode} still returns one, as against WhatsApp (Baileys issue 2008); the
   * phone cannot use it: the server still holds the previous code, and the entry is a wrong code.
   */
  @Test
  void baileys_tooManyCodesForOneNumber_stillReturnsOne_whichThePhoneCannotUse() throws Exception {
    Path auth = temp.resolve("auth-codes");
    Path stderr = temp.resolve("driver-codes-stderr.log");
    try (NodeDriver driver = new NodeDriver(DRIVER_DIR, sim.wsUri().toString(), auth, stderr, "7")) {
      driver.await("qr");
      String last = null;
      for (int i = 0; i <= io.wafleet.simulator.phone.LinkCodes.MAX_REQUESTS; i++) {
        driver.command(Map.of("cmd", "pair-code", "phone", PHONE));
        last = driver.await("pairing-code").path("code").asText();
        assertEquals(8, last.length(), last);
      }
      SimulatorAdminClient.Reply entered = admin.post("phones/" + PHONE + "/link-code",
          Map.of("code", last));
      assertEquals(400, entered.status(), entered.body() + "\n" + driver.stderr());
      assertEquals("wrong-code", entered.body().path("code").asText());
      assertEquals(0, admin.stats().get("pairings").asInt());
    }
  }

  /** Runs a command, failing the test with the install hint when it cannot start. */
  private static String run(Path dir, int timeoutSeconds, String... command) throws Exception {
    Path output = Files.createTempFile("baileys-it-", ".log");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
    } catch (IOException e) {
      fail("install Node.js 20+ and npm: cannot run " + command[0] + " (" + e.getMessage() + ")");
      return "";
    }
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        fail(String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + text);
      }
      return text;
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(output);
    }
  }
}
