package io.wafleet.connector.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code ConnectorMain} in a child JVM (this test JVM's class path), its output in a file under
 * target/. SIGTERM through {@link Process#destroy()}, SIGKILL through {@link Process#destroyForcibly()}.
 */
public final class ConnectorProcess implements AutoCloseable {

  private static final Pattern PORT = Pattern.compile("http listening port=(\\d+)");

  private final Process process;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ConnectorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  public static ConnectorProcess start(String name, Map<String, String> env) throws IOException {
    Path dir = Path.of("target", "connector-processes");
    Files.createDirectories(dir);
    Path log = dir.resolve(name + "-" + System.nanoTime() + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "io.wafleet.connector.app.ConnectorMain"));
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return new ConnectorProcess(pb.start(), log);
  }

  /** The HTTP port the process logged, waiting for it up to {@code limit}. */
  public int awaitHttpPort(Duration limit) {
    try {
      Matcher m = Awaitility.await("the http port logged").atMost(limit).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            if (!process.isAlive()) {
              throw new AssertionError("connector exited " + process.exitValue() + ":\n" + output());
            }
            return PORT.matcher(output());
          }, Matcher::find);
      return Integer.parseInt(m.group(1));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("no http port logged within " + limit + ":\n" + outputOrReason(), e);
    }
  }

  /** GET {@code path} on the process's HTTP port. */
  public HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until GET /readyz answers 200. */
  public void awaitReady(int port, Duration limit) {
    AtomicInteger last = new AtomicInteger(-1);
    try {
      Awaitility.await("GET /readyz answering 200").atMost(limit).pollInterval(Duration.ofMillis(100)).until(() -> {
        last.set(get(port, "/readyz").statusCode());
        return last.get() == 200;
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("not ready within " + limit + " (last " + last.get() + "):\n" + outputOrReason(), e);
    }
  }

  private String outputOrReason() {
    try {
      return output();
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  public String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM; returns the exit code, or fails when the process is still alive after {@code limit}. */
  public int terminate(Duration limit) throws Exception {
    process.destroy();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("still running " + limit + " after SIGTERM:\n" + output());
    }
    return process.exitValue();
  }

  /** kill -9. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** Waits for the process to end by itself; returns its exit code. */
  public int awaitExit(Duration limit) throws Exception {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("did not exit within " + limit + ":\n" + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
