package io.wafleet.simulator.client;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Baileys socket in a Node child process ({@code src/test/node/baileys/<script>}, given the
 * Baileys line as its third argument, {@code "7"} or {@code "6"}): its stdout JSON lines are kept
 * as events, commands go to its stdin as JSON lines. Installs the npm packages on first use.
 * {@link #close()} stops it. Thread-safe.
 */
final class BaileysPeer implements AutoCloseable {

  static final Path DIR = Path.of(System.getProperty("basedir", "."))
      .resolve("src/test/node/baileys").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path stderr;
  private final OutputStream stdin;
  private final List<JsonNode> events = new CopyOnWriteArrayList<>();

  BaileysPeer(String script, String url, Path authDir, Path stderr, String line) throws Exception {
    install();
    this.stderr = stderr;
    process = new ProcessBuilder("node", script, url, authDir.toString(), line)
        .directory(DIR.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
    stdin = process.getOutputStream();
    Thread reader = new Thread(this::read, "baileys-peer-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** {@code npm ci} once per checkout (both pinned Baileys lines of package-lock.json). */
  static synchronized void install() throws Exception {
    if (Files.isDirectory(DIR.resolve("node_modules/baileys"))
        && Files.isDirectory(DIR.resolve("node_modules/baileys6"))) {
      return;
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(DIR.toFile())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!npm.waitFor(600, TimeUnit.SECONDS) || npm.exitValue() != 0) {
      fail("npm ci failed in " + DIR);
    }
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("{")) {
          events.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      // the process ended; waiters see it through isAlive()
    }
  }

  /** The first event named {@code name} matching {@code wanted}; fails on timeout or exit. */
  JsonNode await(String name, Predicate<JsonNode> wanted, Duration timeout) {
    try {
      return Awaitility.await("Baileys event '" + name + "'").atMost(timeout)
          .pollInterval(Duration.ofMillis(20))
          .until(() -> find(name, wanted), Optional::isPresent).orElseThrow();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; events " + events + "\n" + stderr(), e);
    }
  }

  /** The matching event so far; fails at once if Baileys crashed or exited without it. */
  private Optional<JsonNode> find(String name, Predicate<JsonNode> wanted) {
    boolean exited = !process.isAlive();
    for (JsonNode event : events) {
      String got = event.path("event").asText();
      if (got.equals(name) && wanted.test(event)) {
        return Optional.of(event);
      }
      if (got.equals("crash")) {
        fail("Baileys crashed: " + event + "\n" + stderr());
      }
    }
    if (exited) {
      fail("Baileys exited without a '" + name + "' event; events " + events + "\n" + stderr());
    }
    return Optional.empty();
  }

  JsonNode await(String name, Duration timeout) throws Exception {
    return await(name, e -> true, timeout);
  }

  List<JsonNode> events() {
    return List.copyOf(events);
  }

  synchronized void command(Map<String, ?> command) throws IOException {
    stdin.write((JSON.writeValueAsString(command) + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  long pid() {
    return process.pid();
  }

  String stderr() {
    try {
      String text = Files.readString(stderr);
      return text.length() > 10_000 ? text.substring(text.length() - 10_000) : text;
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
