package io.wafleet.common.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * The gcloud Firestore emulator as a test dependency: one process per test JVM on a free loopback
 * port, or the running one named by FIRESTORE_EMULATOR_HOST. The emulator's jar is started directly
 * with java, because killing the gcloud wrapper leaves the Java emulator running
 * (docs/toolchain.md). Stopped, with its child processes, when the JVM exits. Thread-safe.
 */
public final class FirestoreEmulator {

  static final String INSTALL_HINT =
      "Install the Firestore emulator: `apt-get install google-cloud-cli-firestore-emulator` (Debian/Ubuntu, "
          + "Google Cloud apt repository) or `gcloud components install cloud-firestore-emulator`, "
          + "or set WAFLEET_FIRESTORE_EMULATOR_JAR to cloud-firestore-emulator.jar, "
          + "or point FIRESTORE_EMULATOR_HOST at a running emulator.";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static FirestoreEmulator shared;
  private static final Duration RESET_TIMEOUT = Duration.ofSeconds(60);

  private final String hostPort;
  private final Process process;

  private FirestoreEmulator(String hostPort, Process process) {
    this.hostPort = hostPort;
    this.process = process;
  }

  /** The one emulator of this JVM, started on first use. Fails, never skips, when it is missing. */
  public static synchronized FirestoreEmulator shared() {
    if (shared == null) {
      shared = startOrAttach();
    }
    return shared;
  }

  public String hostPort() {
    return hostPort;
  }

  /** Deletes every document of a project through the emulator's REST reset. */
  public void reset(String projectId) {
    String url = "http://" + hostPort + "/emulator/v1/projects/" + projectId + "/databases/(default)/documents";
    // Generous timeouts: on a loaded machine (other builds beside this one) a reset can take seconds.
    int status = request("DELETE", url, RESET_TIMEOUT);
    if (status != 200) {
      throw new IllegalStateException("emulator reset answered HTTP " + status + " for " + url);
    }
  }

  private static FirestoreEmulator startOrAttach() {
    String external = System.getenv("FIRESTORE_EMULATOR_HOST");
    if (external != null && !external.isBlank()) {
      if (!isReady(external)) {
        throw new IllegalStateException("FIRESTORE_EMULATOR_HOST=" + external + " does not answer. " + INSTALL_HINT);
      }
      return new FirestoreEmulator(external, null);
    }
    Path jar = EmulatorJar.locate();
    int port = freePort();
    String hostPort = "127.0.0.1:" + port;
    Process process = launch(jar, port);
    waitUntilReady(hostPort, process);
    FirestoreEmulator emulator = new FirestoreEmulator(hostPort, process);
    Runtime.getRuntime().addShutdownHook(new Thread(emulator::stop, "firestore-emulator-stop"));
    return emulator;
  }

  private static Process launch(Path jar, int port) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Duser.language=en", "-Xmx1g", "-cp", jar.toString(),
        "com.google.cloud.datastore.emulator.firestore.CloudFirestore", "start",
        "--host=127.0.0.1", "--port=" + port));
    try {
      File log = Files.createTempFile("firestore-emulator-", ".log").toFile();
      log.deleteOnExit();
      return new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(log)).start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start the Firestore emulator: " + e.getMessage() + ". " + INSTALL_HINT, e);
    }
  }

  private static void waitUntilReady(String hostPort, Process process) {
    try {
      Awaitility.await("the Firestore emulator answering on " + hostPort).atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("the Firestore emulator exited with " + process.exitValue()
                  + " while starting. " + INSTALL_HINT);
            }
            return isReady(hostPort);
          });
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private void stop() {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static boolean isReady(String hostPort) {
    return request("GET", "http://" + hostPort + "/", Duration.ofSeconds(2)) == 200;
  }

  private static int request(String method, String url, Duration timeout) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setRequestMethod(method);
      c.setConnectTimeout((int) timeout.toMillis());
      c.setReadTimeout((int) timeout.toMillis());
      int status = c.getResponseCode();
      (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
      c.disconnect();
      return status;
    } catch (IOException e) {
      return -1;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free loopback port", e);
    }
  }

}
