package io.wafleet.connector.lease;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on a file named after the instance id, held for the life of the process. The
 * kernel frees it when the process ends, kill -9 included, and not while it is merely stopped
 * (SIGSTOP): a process that finds it free knows that no process under this id with the same lock
 * file is alive on this host. That is what lets a restarted process take its accounts back without
 * waiting for the dead one's lease to run out (docs/architecture.md, "Restart under a stable id").
 *
 * <p>{@link #holder()} names the lock (host and file) and is written into the lease, so a process
 * only trusts the lock when the earlier incarnation recorded the same one. Thread-safe.
 */
public final class HostLock implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HostLock.class);

  private final Path path;
  private final String holder;
  private FileChannel channel;
  private FileLock lock;

  private HostLock(Path path, String holder) {
    this.path = path;
    this.holder = holder;
  }

  /** The lock of {@code instanceId} in {@code project} under {@code dir}; nothing is opened yet. */
  public static HostLock of(Path dir, String project, String instanceId) {
    String name = "wafleet-connector-" + (project + "-" + instanceId).replaceAll("[^A-Za-z0-9._-]", "_") + ".lock";
    Path path = dir.toAbsolutePath().normalize().resolve(name);
    return new HostLock(path, hostName() + ":" + path);
  }

  /** No lock at all (in-process tests, or no writable directory): an earlier process is never known gone. */
  public static HostLock none() {
    return new HostLock(null, "");
  }

  /** Host name and lock file; empty for {@link #none()}. */
  public String holder() {
    return holder;
  }

  /** Takes the lock if it is free; true while this process holds it. Never blocks. */
  public synchronized boolean tryAcquire() {
    if (path == null) {
      return false;
    }
    if (lock != null) {
      return true;
    }
    try {
      if (channel == null) {
        Files.createDirectories(path.getParent());
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      }
      lock = channel.tryLock();
      return lock != null;
    } catch (OverlappingFileLockException e) {
      return false; // held by this very JVM (another instance object under the same id)
    } catch (IOException e) {
      log.warn("instance lock unavailable path={} error={}: a restart waits for the lease to run out", path,
          e.toString());
      return false;
    }
  }

  @Override
  public synchronized void close() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      log.warn("instance lock release failed path={} error={}", path, e.toString());
    } finally {
      lock = null;
      channel = null;
    }
  }

  private static String hostName() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: fall back below
    }
    String env = System.getenv("HOSTNAME");
    return env == null || env.isBlank() ? "localhost" : env.strip();
  }
}
