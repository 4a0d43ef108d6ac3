package io.wafleet.client.signal;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.client.crypto.Hex;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives src/test/node/signal-vectors/interop.mjs, a libsignal-node 6.0.0 peer, over JSON lines
 * on stdin/stdout. Installs its node_modules with {@code npm ci} when missing. Fails (never
 * skips) when Node.js or npm is missing. Not thread-safe.
 */
final class NodeInteropPeer implements AutoCloseable {

  private static final String INSTALL_HINT =
      "LibsignalNodeInteropIT needs Node.js 20+ and npm on the PATH: install them (e.g. from "
          + "https://nodejs.org) and rerun";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final BufferedWriter in;
  private final BufferedReader out;
  private final Path stderrLog;

  private NodeInteropPeer(Process process, Path stderrLog) {
    this.process = process;
    this.stderrLog = stderrLog;
    this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static NodeInteropPeer start() throws IOException, InterruptedException {
    Path dir = scriptDir();
    Path logs = Path.of("target", "node-interop");
    Files.createDirectories(logs);
    requireNode(logs);
    if (!Files.isRegularFile(dir.resolve("node_modules/libsignal/package.json"))) {
      run(List.of("npm", "ci", "--no-audit", "--no-fund"), dir, logs.resolve("npm-ci.log"));
    }
    Path stderr = logs.resolve("interop-stderr.log");
    Process process = new ProcessBuilder("node", "interop.mjs")
        .directory(dir.toFile())
        .redirectError(stderr.toFile())
        .start();
    return new NodeInteropPeer(process, stderr);
  }

  /** Sends one command (keys and values alternate) and returns the answer. */
  Map<String, Object> call(Object... keyValues) throws IOException {
    Map<String, Object> command = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      command.put((String) keyValues[i], keyValues[i + 1]);
    }
    in.write(JSON.writeValueAsString(command));
    in.newLine();
    in.flush();
    String line = out.readLine();
    if (line == null) {
      fail("libsignal-node peer exited; see " + stderrLog.toAbsolutePath());
    }
    return JSON.readValue(line, new TypeReference<Map<String, Object>>() { });
  }

  /** Like {@link #call} but fails the test unless the peer answered ok. */
  Map<String, Object> ok(Object... keyValues) throws IOException {
    Map<String, Object> answer = call(keyValues);
    if (!Boolean.TRUE.equals(answer.get("ok"))) {
      fail("libsignal-node refused " + keyValues[1] + ": " + answer.get("error"));
    }
    return answer;
  }

  static byte[] bytes(Map<String, Object> answer, String key) {
    return Hex.decode((String) answer.get(key));
  }

  @Override
  public void close() throws InterruptedException {
    try {
      in.close();
    } catch (IOException ignored) {
      // The process is going away anyway.
    }
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static Path scriptDir() {
    Path dir = Path.of("src/test/node/signal-vectors");
    if (!Files.isRegularFile(dir.resolve("interop.mjs"))) {
      fail("run from the wa-client module directory: " + dir.toAbsolutePath() + " has no interop.mjs");
    }
    return dir;
  }

  private static void requireNode(Path logs) throws InterruptedException {
    try {
      Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      node.waitFor();
      int major = Integer.parseInt(version.replaceFirst("^v", "").split("\\.")[0]);
      if (major < 20) {
        fail(INSTALL_HINT + " (found node " + version + ")");
      }
      run(List.of("npm", "--version"), Path.of("."), logs.resolve("npm-version.log"));
    } catch (IOException | NumberFormatException e) {
      fail(INSTALL_HINT + " (" + e.getMessage() + ")");
    }
  }

  private static void run(List<String> command, Path dir, Path log) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (p.waitFor() != 0) {
      fail(String.join(" ", command) + " failed in " + dir.toAbsolutePath() + "; see "
          + log.toAbsolutePath() + ". " + INSTALL_HINT);
    }
  }
}
