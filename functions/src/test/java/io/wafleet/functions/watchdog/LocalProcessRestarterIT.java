package io.wafleet.functions.watchdog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog's local restarter against the real restart loop of {@code ./wafleet up}
 * ({@code scripts/restart-loop.sh}) running real processes: it stops the process named in the pid
 * file, and the loop starts the next one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalProcessRestarterIT {

  private static final Path LOOP = Path.of("").toAbsolutePath().getParent().resolve("scripts/restart-loop.sh");
  private static final Pattern RESULT = Pattern.compile("local connector pid (\\d+) stopped \\((.+)\\); pid (\\d+) started");

  @TempDir Path dir;
  private final List<Process> loops = new ArrayList<>();

  @AfterEach
  void stopLoops() throws Exception {
    for (Process loop : loops) {
      loop.destroy(); // SIGTERM: the loop stops its command and exits
      if (!loop.waitFor(20, TimeUnit.SECONDS)) {
        loop.destroyForcibly();
      }
    }
  }

  @Test
  void restart_stopsTheProcessWithSigterm_andTheLoopStartsANewOne() throws Exception {
    Path pidFile = dir.resolve("connector.pid");
    startLoop(pidFile, "sleep", "600");
    long first = awaitPid(pidFile);

    String result = new LocalProcessRestarter(pidFile, Duration.ofSeconds(10), Duration.ofSeconds(30))
        .restart("connector liveness stale");

    Matcher m = RESULT.matcher(result);
    assertTrue(m.matches(), result);
    assertEquals(first, Long.parseLong(m.group(1)));
    assertEquals("SIGTERM", m.group(2));
    long second = Long.parseLong(m.group(3));
    assertNotEquals(first, second);
    assertFalse(ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false), "the old process is gone");
    assertTrue(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false), "the new process runs");
    assertEquals(second, readPid(pidFile));
  }

  @Test
  void restart_ofAProcessThatIgnoresSigterm_endsItWithSigkill() throws Exception {
    Path pidFile = dir.resolve("connector.pid");
    // A hung connector: ignores SIGTERM. `exec sleep` keeps one process (no orphan after SIGKILL).
    startLoop(pidFile, "sh", "-c", "trap '' TERM; exec sleep 600");
    long first = awaitPid(pidFile);

    String result = new LocalProcessRestarter(pidFile, Duration.ofSeconds(1), Duration.ofSeconds(30)).restart("hung");

    Matcher m = RESULT.matcher(result);
    assertTrue(m.matches(), result);
    assertEquals(first, Long.parseLong(m.group(1)));
    assertEquals("SIGKILL after 1 s", m.group(2));
    assertNotEquals(first, Long.parseLong(m.group(3)));
  }

  @Test
  void restart_withoutALiveProcessOrLoop_failsWithTheReason() throws Exception {
    Path pidFile = dir.resolve("connector.pid");
    LocalProcessRestarter restarter = new LocalProcessRestarter(pidFile, Duration.ofSeconds(1), Duration.ofSeconds(2));

    IllegalStateException missing = assertThrows(IllegalStateException.class, () -> restarter.restart("stale"));
    assertEquals("no local connector to restart: " + pidFile + " is missing or empty (is ./wafleet up running?)",
        missing.getMessage());

    Process gone = new ProcessBuilder("true").start();
    assertTrue(gone.waitFor(20, TimeUnit.SECONDS));
    Files.writeString(pidFile, gone.pid() + "\n");
    IllegalStateException notRunning = assertThrows(IllegalStateException.class, () -> restarter.restart("stale"));
    assertEquals("no local connector to restart: pid " + gone.pid() + " from " + pidFile + " is not running",
        notRunning.getMessage());

    // A live process with no loop behind it: stopped, but nobody starts the next one.
    Process lonely = new ProcessBuilder("sleep", "600").start();
    Files.writeString(pidFile, lonely.pid() + "\n");
    IllegalStateException noLoop = assertThrows(IllegalStateException.class, () -> restarter.restart("stale"));
    assertTrue(noLoop.getMessage().startsWith("the local connector (pid " + lonely.pid() + ") was stopped but no new one"
        + " started within 2 s"), noLoop.getMessage());
    assertTrue(lonely.waitFor(20, TimeUnit.SECONDS), "the process was stopped");
  }

  private void startLoop(Path pidFile, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of(LOOP.toString(), pidFile.toString()));
    args.addAll(List.of(command));
    loops.add(new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(dir.resolve("loop.log").toFile())
        .start());
  }

  private static long awaitPid(Path pidFile) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile) ? readPid(pidFile) : 0L,
        pid -> pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  private static long readPid(Path pidFile) throws Exception {
    String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
    return text.isEmpty() ? 0L : Long.parseLong(text);
  }
}
