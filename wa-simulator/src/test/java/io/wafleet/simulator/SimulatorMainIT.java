package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link SimulatorMain} in a child JVM: prints {@code ws=<port> admin=<port>}, serves the admin
 * API, exits on SIGTERM; a bad argument exits 2 with the usage on stderr.
 */
class SimulatorMainIT {

  private static final Pattern PORTS = Pattern.compile("^ws=(\\d+) admin=(\\d+)$");

  @Test
  void main_printsPortsServesStatsAndExitsOnSigterm() throws Exception {
    Process process = javaMain("--port", "0", "--admin-port", "0", "--post-handshake-delay-ms", "50")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      Matcher ports = awaitPorts(process);
      assertNotNull(ports, "no ws=/admin= line");
      SimulatorAdminClient admin = new SimulatorAdminClient(URI.create("http://127.0.0.1:" + ports.group(2) + "/"));
      assertEquals(200, admin.get("stats").status());
      process.destroy(); // SIGTERM
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "exited after SIGTERM");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void main_badArgument_exits2WithUsage() throws Exception {
    Process process = javaMain("--port", "abc", "--admin-port", "0").start();
    try {
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
      assertEquals(2, process.exitValue());
      String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(stderr.contains("usage:"), stderr);
    } finally {
      process.destroyForcibly();
    }
  }

  private static Matcher awaitPorts(Process process) throws Exception {
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      Matcher matcher = PORTS.matcher(line.trim());
      if (matcher.matches()) {
        Thread drain = new Thread(() -> drain(out), "main-it-stdout");
        drain.setDaemon(true);
        drain.start();
        return matcher;
      }
    }
    return null;
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // keep the child's stdout pipe from filling
      }
    } catch (java.io.IOException e) {
      // child ended
    }
  }

  private static ProcessBuilder javaMain(String... args) {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(javaBin, "-cp",
        System.getProperty("java.class.path"), SimulatorMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }
}
