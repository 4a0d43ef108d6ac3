package io.wafleet.functions.watchdog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Restarts the local connector of {@code ./wafleet up}: the connector runs under
 * {@code scripts/restart-loop.sh}, which keeps its pid in a file and starts it again whenever it
 * ends. Restarting is therefore stopping it as Cloud Run stops an old instance (SIGTERM, then SIGKILL
 * after {@code grace}) and waiting until the loop names a new, live pid. Fails with a clear reason
 * when there is no pid file, the pid is not running, or no new process appears within
 * {@code startWait} (the loop is not running). Thread-safe (no state besides its settings).
 */
public final class LocalProcessRestarter implements ConnectorRestarter {

  private static final Duration POLL = Duration.ofMillis(100);

  private final Path pidFile;
  private final Duration grace;
  private final Duration startWait;

  public LocalProcessRestarter(Path pidFile, Duration grace, Duration startWait) {
    this.pidFile = Objects.requireNonNull(pidFile, "pidFile == null");
    this.grace = Objects.requireNonNull(grace, "grace == null");
    this.startWait = Objects.requireNonNull(startWait, "startWait == null");
  }

  /** Cloud Run's 10 s between SIGTERM and SIGKILL; 60 s for the loop to start the next process. */
  public static LocalProcessRestarter standard(Path pidFile) {
    return new LocalProcessRestarter(pidFile, Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  @Override
  public String restart(String reason) {
    long oldPid = readPid().orElseThrow(() -> new IllegalStateException(
        "no local connector to restart: " + pidFile + " is missing or empty (is ./wafleet up running?)"));
    ProcessHandle old = ProcessHandle.of(oldPid).filter(ProcessHandle::isAlive).orElseThrow(() ->
        new IllegalStateException("no local connector to restart: pid " + oldPid + " from " + pidFile + " is not running"));
    String how = stop(old);
    long newPid = awaitNewPid(oldPid);
    return "local connector pid " + oldPid + " stopped (" + how + "); pid " + newPid + " started";
  }

  @Override
  public String describe() {
    return "local-process(" + pidFile + ")";
  }

  private String stop(ProcessHandle process) {
    CompletableFuture<ProcessHandle> ended = process.onExit();
    process.destroy();
    if (awaitEnd(ended, grace)) {
      return "SIGTERM";
    }
    process.destroyForcibly();
    if (awaitEnd(ended, grace)) {
      return "SIGKILL after " + grace.toSeconds() + " s";
    }
    throw new IllegalStateException("pid " + process.pid() + " is still running after SIGKILL");
  }

  private static boolean awaitEnd(CompletableFuture<ProcessHandle> ended, Duration limit) {
    try {
      ended.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping the local connector", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not wait for the local connector to end", e);
    }
  }

  private long awaitNewPid(long oldPid) {
    long deadline = System.nanoTime() + startWait.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Long> pid = readPid().filter(p -> p != oldPid);
      if (pid.isPresent() && ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
        return pid.get();
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the local connector to start", e);
      }
    }
    throw new IllegalStateException("the local connector (pid " + oldPid + ") was stopped but no new one started within "
        + startWait.toSeconds() + " s: is scripts/restart-loop.sh running (./wafleet up)?");
  }

  private Optional<Long> readPid() {
    String text;
    try {
      text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + pidFile + ": " + e.getMessage(), e);
    }
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(text));
    } catch (NumberFormatException e) {
      throw new IllegalStateException(pidFile + " does not hold a pid", e);
    }
  }
}
