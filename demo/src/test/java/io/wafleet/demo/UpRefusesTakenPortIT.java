package io.wafleet.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./wafleet up} run as a user would, with the API's port already taken by another server:
 * it must stop before building or starting anything and name the port and its variable.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UpRefusesTakenPortIT {

  @Test
  void upNamesTheTakenPortAndStartsNothing() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path launcher = root.resolve("wafleet");
    assertTrue(Files.isExecutable(launcher), "launcher at " + launcher);
    try (ServerSocket foreign = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int taken = foreign.getLocalPort();
      ProcessBuilder up = new ProcessBuilder(launcher.toString(), "up").directory(root.toFile())
          .redirectErrorStream(true);
      Map<String, String> env = up.environment();
      env.put("WAFLEET_API_PORT", Integer.toString(taken));
      env.put("WAFLEET_FIRESTORE_PORT", Integer.toString(freePort()));
      env.put("WAFLEET_MONITOR_PORT", Integer.toString(freePort()));
      env.put("WAFLEET_SIMULATOR_PORT", Integer.toString(freePort()));
      env.put("WAFLEET_SIMULATOR_ADMIN_PORT", Integer.toString(freePort()));
      env.put("WAFLEET_CONNECTOR_PORT", Integer.toString(freePort()));
      env.put("WAFLEET_SKIP_BUILD", "1");
      env.put("WAFLEET_UP_EXIT_AFTER_SECONDS", "1");
      Process process = up.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "up ended");
      assertEquals(1, process.exitValue(), output);
      assertTrue(output.contains("port " + taken + " (functions API, WAFLEET_API_PORT) is already in use"),
          output);
      assertTrue(output.contains("nothing was started"), output);
      assertFalse(output.contains("starting "), output);
      assertFalse(output.contains("wafleet is up"), output);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
