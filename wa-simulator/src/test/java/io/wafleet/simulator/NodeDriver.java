package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code src/test/node/baileys/driver.mjs} with one Baileys line ({@code "7"} for
 * 7.0.0-rc.9, {@code "6"} for 6.17.16): a Node child process whose stdout JSON lines
 * arrive as events; stderr goes to a file that {@link #stderr()} returns for failure messages.
 * {@link #close()} kills the process. One test thread uses it.
 */
final class NodeDriver implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode EOF = JSON.createObjectNode().put("event", "eof");

  private final Process process;
  private final Path stderrFile;
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final List<JsonNode> seen = new ArrayList<>();
  private final List<JsonNode> backlog = new ArrayList<>();
  private final java.io.OutputStream stdin;

  NodeDriver(Path dir, String url, Path authDir, Path stderrFile, String line) throws IOException {
    this.stderrFile = stderrFile;
    ProcessBuilder builder = new ProcessBuilder("node", "driver.mjs", url, authDir.toString(), line)
        .directory(dir.toFile())
        .redirectError(ProcessBuilder.Redirect.appendTo(stderrFile.toFile()));
    process = builder.start();
    stdin = process.getOutputStream();
    Thread reader = new Thread(this::readEvents, "baileys-driver-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  private void readEvents() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("{")) {
          events.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      // The process died; EOF below tells the waiter.
    }
    events.add(EOF);
  }

  /** Waits for the next event named {@code name}; fails on crash, exit or timeout. */
  JsonNode await(String name) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
      if (event == null) {
        fail("no '" + name + "' event within " + WAIT + "; seen " + seen + "\n" + stderr());
      }
      seen.add(event);
      String got = event.path("event").asText();
      if (got.equals(name)) {
        return event;
      }
      if (got.equals("crash") || got.equals("eof")) {
        fail("driver ended before '" + name + "': " + event + "; seen " + seen + "\n" + stderr());
      }
    }
  }

  /**
   * As {@link #awaitMatch}, but an event that arrived before, even one {@link #await} passed over,
   * counts too: for events whose order against others differs between Baileys lines.
   */
  JsonNode awaitAnyTime(String name, java.util.function.Predicate<JsonNode> wanted)
      throws InterruptedException {
    for (JsonNode event : seen) {
      if (name.equals(event.path("event").asText()) && wanted.test(event)) {
        return event;
      }
    }
    return awaitMatch(name, wanted);
  }

  /**
   * Waits for an event named {@code name} that matches {@code wanted}, looking first at events an
   * earlier call of this method skipped; events skipped now are kept for later calls.
   */
  JsonNode awaitMatch(String name, java.util.function.Predicate<JsonNode> wanted)
      throws InterruptedException {
    for (java.util.Iterator<JsonNode> it = backlog.iterator(); it.hasNext(); ) {
      JsonNode event = it.next();
      if (name.equals(event.path("event").asText()) && wanted.test(event)) {
        it.remove();
        return event;
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonNode event = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
      if (event == null) {
        fail("no matching '" + name + "' event within " + WAIT + "; seen " + seen + "\n" + stderr());
      }
      seen.add(event);
      String got = event.path("event").asText();
      if (got.equals(name) && wanted.test(event)) {
        return event;
      }
      if (got.equals("crash") || got.equals("eof")) {
        fail("driver ended before '" + name + "': " + event + "; seen " + seen + "\n" + stderr());
      }
      backlog.add(event);
    }
  }

  /** Writes one JSON command line to the driver's stdin. */
  void command(java.util.Map<String, ?> command) throws IOException {
    stdin.write((JSON.writeValueAsString(command) + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  /** Every event consumed so far. */
  List<JsonNode> seen() {
    return List.copyOf(seen);
  }

  /** SIGTERM: the driver finishes writing its auth state and exits; true if it did in time. */
  boolean stop() throws InterruptedException {
    process.destroy();
    return awaitExit();
  }

  boolean awaitExit() throws InterruptedException {
    return process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  String stderr() {
    try {
      String text = Files.readString(stderrFile);
      String tail = text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
      return "--- driver stderr ---\n" + tail;
    } catch (IOException e) {
      return "(no stderr: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
