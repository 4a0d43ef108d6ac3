package io.wafleet.simulator.demo;

import io.wafleet.client.auth.AuthState;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.CredentialsFormatException;
import io.wafleet.client.auth.SignalKeyStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An {@link AuthState} kept in a directory, so the demo survives a real process restart: one file for
 * the credentials, one per key. Files are written to a temporary name and moved into place, so a
 * crash never leaves a half-written file. For the demo only (plaintext on local disk); production
 * keeps session material encrypted in Firestore. Thread-safe.
 */
public final class DirectoryAuthState implements AuthState {

  private static final Pattern KEY_TYPE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
  private static final java.util.Base64.Encoder FILE_NAME = java.util.Base64.getUrlEncoder().withoutPadding();

  private final Path directory;
  private final Keys keys = new Keys();

  private DirectoryAuthState(Path directory) {
    this.directory = directory;
  }

  /** Opens the state in {@code directory}, creating new credentials when there are none yet. */
  public static DirectoryAuthState open(Path directory) {
    try {
      Files.createDirectories(directory.resolve("keys"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DirectoryAuthState state = new DirectoryAuthState(directory);
    if (!Files.exists(state.credentialsFile())) {
      state.storeCredentials(Credentials.generate(new java.security.SecureRandom()));
    }
    return state;
  }

  @Override
  public synchronized Credentials credentials() {
    try {
      return Credentials.parse(Files.readAllBytes(credentialsFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (CredentialsFormatException e) {
      throw new IllegalStateException(credentialsFile() + " is not a credentials file: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void storeCredentials(Credentials credentials) {
    write(credentialsFile(), credentials.serialize());
  }

  @Override
  public SignalKeyStore keys() {
    return keys;
  }

  private Path credentialsFile() {
    return directory.resolve("credentials.bin");
  }

  /** Ids may hold any character ('|', '/', ':'), so the file name carries them base64url-encoded. */
  private Path keyFile(String type, String id) {
    if (!KEY_TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("key type must be lower-case letters, digits or '-'");
    }
    if (id.isEmpty() || id.length() > 512) {
      throw new IllegalArgumentException("key id length must be 1..512");
    }
    return directory.resolve("keys").resolve(type + "_" + FILE_NAME.encodeToString(
        id.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static void write(Path file, byte[] data) {
    try {
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(temporary, data);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final class Keys implements SignalKeyStore {
    @Override
    public synchronized Map<String, byte[]> load(String type, Collection<String> ids) {
      Map<String, byte[]> out = new HashMap<>();
      for (String id : ids) {
        Path file = keyFile(type, id);
        try {
          if (Files.exists(file)) {
            out.put(id, Files.readAllBytes(file));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return out;
    }

    @Override
    public synchronized void store(String type, Map<String, byte[]> values) {
      values.forEach((id, value) -> {
        if (value == null) {
          try {
            Files.deleteIfExists(keyFile(type, id));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        } else {
          write(keyFile(type, id), value);
        }
      });
    }
  }
}
