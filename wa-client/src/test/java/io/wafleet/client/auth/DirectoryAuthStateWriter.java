package io.wafleet.client.auth;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Child process of {@link DirectoryAuthStateTest}: rewrites credentials and large keys of a
 * {@link DirectoryAuthState} in a loop, printing {@code round N} after each, until it is killed.
 */
public final class DirectoryAuthStateWriter {

  static final List<String> IDS = List.of("a", "b", "c");
  static final int SIZE = 256 * 1024;

  private DirectoryAuthStateWriter() {
  }

  public static void main(String[] args) {
    DirectoryAuthState state = DirectoryAuthState.open(Path.of(args[0]));
    for (int round = 1; ; round++) {
      byte[] value = new byte[SIZE];
      Arrays.fill(value, (byte) round);
      Map<String, byte[]> batch = new HashMap<>();
      IDS.forEach(id -> batch.put(id, value));
      state.keys().store(SignalKeyStore.SESSION, batch);
      state.storeCredentials(state.credentials().toBuilder().pushName("round-" + round).build());
      System.out.println("round " + round);
      System.out.flush();
    }
  }
}
