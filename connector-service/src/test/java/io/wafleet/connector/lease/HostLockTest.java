package io.wafleet.connector.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class HostLockTest {

  @TempDir Path dir;

  @Test
  void oneHolderAtATime_andFreeAgainOnceClosed() {
    HostLock first = HostLock.of(dir, "proj", "inst-a");
    HostLock second = HostLock.of(dir, "proj", "inst-a");
    assertTrue(first.tryAcquire());
    assertTrue(first.tryAcquire(), "held stays held");
    assertFalse(second.tryAcquire());
    first.close();
    assertTrue(second.tryAcquire());
    second.close();
  }

  @Test
  void holder_namesHostAndFile_perProjectAndInstance() {
    HostLock a = HostLock.of(dir, "proj", "inst-a");
    assertEquals(a.holder(), HostLock.of(dir, "proj", "inst-a").holder());
    assertNotEquals(a.holder(), HostLock.of(dir, "proj", "inst-b").holder());
    assertNotEquals(a.holder(), HostLock.of(dir, "other", "inst-a").holder());
    assertTrue(a.holder().endsWith(dir.resolve("wafleet-connector-proj-inst-a.lock").toString()), a.holder());
    HostLock other = HostLock.of(dir, "proj", "inst-b");
    assertTrue(a.tryAcquire());
    assertTrue(other.tryAcquire(), "another instance id has its own lock");
    a.close();
    other.close();
  }

  @Test
  void none_isNeverHeld() {
    assertFalse(HostLock.none().tryAcquire());
    assertEquals("", HostLock.none().holder());
  }
}
