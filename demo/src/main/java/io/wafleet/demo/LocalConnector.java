package io.wafleet.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The connector process of the local stack, found through the pid file its restart loop keeps
 * (scripts/restart-loop.sh): the demo kills it with SIGKILL and waits for the loop to start the
 * next one, as Cloud Run replaces a dead instance.
 */
final class LocalConnector {

  private final Path pidFile;

  LocalConnector(Path pidFile) {
    this.pidFile = Objects.requireNonNull(pidFile, "pidFile == null");
  }

  /** The running connector's pid. */
  long pid() throws IOException {
    OptionalLong pid = read();
    if (pid.isEmpty() || ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false) == false) {
      throw new IllegalStateException("no running connector in " + pidFile + " (is ./wafleet up running?)");
    }
    return pid.getAsLong();
  }

  /** kill -9 of {@code pid}; returns once it is gone. */
  void kill(long pid) throws InterruptedException {
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("pid " + pid + " is gone"));
    process.destroyForcibly();
    try {
      process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("pid " + pid + " did not end after SIGKILL", e);
    }
  }

  /** Waits until the restart loop has started a process other than {@code old}; returns its pid. */
  long awaitReplacement(long old, Duration limit) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      OptionalLong pid = read();
      if (pid.isPresent() && pid.getAsLong() != old
          && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false)) {
        return pid.getAsLong();
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no new connector process within " + limit.toSeconds() + " s (" + pidFile + ")");
  }

  private OptionalLong read() throws IOException {
    try {
      String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
      return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (NumberFormatException e) {
      throw new IllegalStateException(pidFile + " does not hold a pid", e);
    }
  }
}
