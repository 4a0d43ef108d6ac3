package io.wafleet.client.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectoryAuthStateTest {

  @TempDir Path dir;

  @Test
  void open_newDirectory_storesUnpairedCredentials_thatAReopenReadsBack() {
    DirectoryAuthState first = DirectoryAuthState.open(dir.resolve("state"));
    assertFalse(first.credentials().isPaired());
    assertEquals(first.credentials(), DirectoryAuthState.open(dir.resolve("state")).credentials());
    assertTrue(Files.isRegularFile(dir.resolve("state/credentials.bin")));
  }

  @Test
  void storeCredentials_roundTripsEveryField_acrossInstances() {
    DirectoryAuthState state = DirectoryAuthState.open(dir);
    Credentials changed = Credentials.generate(new SecureRandom()).toBuilder().pushName("Shop")
        .platform("android").nextPreKeyId(31).firstUnuploadedPreKeyId(31)
        .routingInfo(new byte[] {8, 1, 8, 2}).account(new byte[] {1, 2, 3}).build();
    state.storeCredentials(changed);
    assertEquals(changed, state.credentials());
    assertEquals(changed, DirectoryAuthState.open(dir).credentials());
  }

  @Test
  void keys_roundTripByType_deleteWithNull_andAnyIdStaysInsideKeys() {
    DirectoryAuthState state = DirectoryAuthState.open(dir);
    String session = "100000000000001_1.1";
    String unacked = "40700000002@s.whatsapp.net|3EB0/../x";
    String unicode = "ăîș|∑";
    String longId = "x".repeat(2000);
    state.keys().store(SignalKeyStore.SESSION, Map.of(session, new byte[] {1, 2}, unicode, new byte[] {3}));
    state.keys().store(SignalKeyStore.UNACKED_MESSAGE, Map.of(unacked, new byte[] {7}, longId, new byte[] {9}));
    state.keys().store(SignalKeyStore.PRE_KEY, Map.of("1", new byte[0]));

    SignalKeyStore reopened = DirectoryAuthState.open(dir).keys();
    Map<String, byte[]> sessions = reopened.load(SignalKeyStore.SESSION, List.of(session, unicode, "absent"));
    assertEquals(2, sessions.size());
    assertArrayEquals(new byte[] {1, 2}, sessions.get(session));
    assertArrayEquals(new byte[] {3}, sessions.get(unicode));
    assertArrayEquals(new byte[] {7}, reopened.load(SignalKeyStore.UNACKED_MESSAGE, List.of(unacked)).get(unacked));
    assertArrayEquals(new byte[] {9}, reopened.load(SignalKeyStore.UNACKED_MESSAGE, List.of(longId)).get(longId));
    assertArrayEquals(new byte[0], reopened.load(SignalKeyStore.PRE_KEY, List.of("1")).get("1"));
    assertTrue(reopened.load(SignalKeyStore.PRE_KEY, List.of(session)).isEmpty(), "types do not mix");

    Map<String, byte[]> delete = new HashMap<>();
    delete.put(session, null);
    delete.put("never-stored", null);
    state.keys().store(SignalKeyStore.SESSION, delete);
    assertEquals(List.of(unicode), List.copyOf(reopened.load(SignalKeyStore.SESSION, List.of(session, unicode)).keySet()));
    try (Stream<Path> outside = Files.list(dir)) {
      assertEquals(List.of("credentials.bin", "keys"), outside.map(p -> p.getFileName().toString()).sorted().toList(),
          "ids with '/' and '..' never escape keys/");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void keys_badTypeOrId_isIllegalArgument() {
    SignalKeyStore keys = DirectoryAuthState.open(dir).keys();
    assertThrows(IllegalArgumentException.class, () -> keys.store("../Bad", Map.of("x", new byte[1])));
    assertThrows(IllegalArgumentException.class, () -> keys.load("", List.of("x")));
    assertThrows(IllegalArgumentException.class, () -> keys.load("session", List.of("")));
  }

  @Test
  void credentials_garbageTruncatedFlippedOrForeign_isCorruptAuthFile() throws Exception {
    DirectoryAuthState.open(dir);
    Path file = dir.resolve("credentials.bin");
    byte[] good = Files.readAllBytes(file);

    Files.write(file, "{\"not\":\"ours\"}".getBytes(StandardCharsets.UTF_8));
    assertCorrupt(file, "not an auth file");
    Files.write(file, Arrays.copyOf(good, good.length - 7));
    assertCorrupt(file, "truncated");
    byte[] flipped = good.clone();
    flipped[flipped.length / 2] ^= 0x20;
    Files.write(file, flipped);
    assertCorrupt(file, "checksum");
    byte[] future = good.clone();
    future[4] = 9;
    Files.write(file, future);
    assertCorrupt(file, "version 9");
    Files.write(file, AuthFile.encode(new byte[] {1, 2, 3}));
    assertCorrupt(file, "not credentials");
    Files.write(file, new byte[0]);
    assertCorrupt(file, "not an auth file");
  }

  private void assertCorrupt(Path file, String reason) {
    CorruptAuthFileException e = assertThrows(CorruptAuthFileException.class, () -> DirectoryAuthState.open(dir));
    assertEquals(file, e.file());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void keys_damagedKeyFile_isCorruptAuthFile_namingTheFile() throws Exception {
    DirectoryAuthState state = DirectoryAuthState.open(dir);
    state.keys().store(SignalKeyStore.SESSION, Map.of("a", new byte[64]));
    Path keyFile;
    try (Stream<Path> files = Files.list(dir.resolve("keys"))) {
      keyFile = files.findFirst().orElseThrow();
    }
    byte[] raw = Files.readAllBytes(keyFile);
    Files.write(keyFile, Arrays.copyOf(raw, 20));
    CorruptAuthFileException e = assertThrows(CorruptAuthFileException.class,
        () -> state.keys().load(SignalKeyStore.SESSION, List.of("a")));
    assertEquals(keyFile, e.file());
  }

  @Test
  void unusableStorage_isAuthStorageException() throws Exception {
    Path plainFile = Files.writeString(dir.resolve("a-file"), "x");
    AuthStorageException notADirectory = assertThrows(AuthStorageException.class,
        () -> DirectoryAuthState.open(plainFile));
    assertEquals(plainFile, notADirectory.file());

    Files.createDirectories(dir.resolve("state/credentials.bin"));
    AuthStorageException unreadable = assertThrows(AuthStorageException.class,
        () -> DirectoryAuthState.open(dir.resolve("state")));
    assertFalse(unreadable instanceof CorruptAuthFileException, "a read failure is not corruption");
  }

  @Test
  void leftoverTemporaryFileOfACrashedWrite_isIgnored() throws Exception {
    DirectoryAuthState state = DirectoryAuthState.open(dir);
    Credentials before = state.credentials();
    Files.write(dir.resolve(".credentials.bin.123.tmp"), Arrays.copyOf(AuthFile.encode(new byte[500]), 40));
    assertEquals(before, DirectoryAuthState.open(dir).credentials());
    state.storeCredentials(before.toBuilder().pushName("after").build());
    assertEquals("after", DirectoryAuthState.open(dir).credentials().pushName());
  }

  @Test
  void concurrentWriters_onOneDirectory_leaveEveryKeyWhole() throws Exception {
    DirectoryAuthState a = DirectoryAuthState.open(dir);
    DirectoryAuthState b = DirectoryAuthState.open(dir);
    List<String> ids = List.of("k0", "k1", "k2", "k3");
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int writer = 0; writer < 4; writer++) {
        DirectoryAuthState state = writer % 2 == 0 ? a : b;
        byte mark = (byte) (writer + 1);
        work.add(pool.submit(() -> {
          for (int round = 0; round < 50; round++) {
            Map<String, byte[]> batch = new HashMap<>();
            ids.forEach(id -> batch.put(id, filled(mark, 4096)));
            state.keys().store(SignalKeyStore.SESSION, batch);
            state.storeCredentials(state.credentials().toBuilder().pushName("writer-" + mark).build());
          }
          return null;
        }));
      }
      for (int reader = 0; reader < 2; reader++) {
        DirectoryAuthState state = reader == 0 ? a : b;
        work.add(pool.submit(() -> {
          for (int round = 0; round < 100; round++) {
            state.keys().load(SignalKeyStore.SESSION, ids).values().forEach(DirectoryAuthStateTest::assertWhole);
            assertTrue(state.credentials().pushName() == null
                || state.credentials().pushName().startsWith("writer-"));
          }
          return null;
        }));
      }
      for (Future<?> done : work) {
        done.get(50, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Map<String, byte[]> last = DirectoryAuthState.open(dir).keys().load(SignalKeyStore.SESSION, ids);
    assertEquals(4, last.size());
    last.values().forEach(DirectoryAuthStateTest::assertWhole);
    try (Stream<Path> files = Files.list(dir.resolve("keys"))) {
      assertEquals(4, files.count(), "no temporary file is left behind");
    }
  }

  @Test
  void processKilledMidWrite_leavesEveryFileWhole() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process writer = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        DirectoryAuthStateWriter.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
      String line;
      int rounds = 0;
      while (rounds < 20 && (line = out.readLine()) != null) {
        if (line.startsWith("round ")) {
          rounds++;
        }
      }
      assertEquals(20, rounds, "the writer ran");
    } finally {
      writer.destroyForcibly(); // SIGKILL while it keeps writing
      assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
    }
    DirectoryAuthState state = DirectoryAuthState.open(dir);
    assertTrue(state.credentials().pushName().startsWith("round-"));
    Map<String, byte[]> keys = state.keys().load(SignalKeyStore.SESSION, DirectoryAuthStateWriter.IDS);
    assertEquals(DirectoryAuthStateWriter.IDS.size(), keys.size());
    keys.values().forEach(value -> assertEquals(DirectoryAuthStateWriter.SIZE, value.length));
    keys.values().forEach(DirectoryAuthStateTest::assertWhole);
  }

  private static byte[] filled(byte mark, int size) {
    byte[] value = new byte[size];
    Arrays.fill(value, mark);
    return value;
  }

  /** Every value written by these tests is one byte repeated: a mix of two writes shows. */
  private static void assertWhole(byte[] value) {
    for (byte b : value) {
      if (b != value[0]) {
        throw new AssertionError("torn value: starts with " + value[0] + ", holds " + b);
      }
    }
  }
}
