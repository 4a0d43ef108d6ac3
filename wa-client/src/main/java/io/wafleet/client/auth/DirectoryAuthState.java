package io.wafleet.client.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An {@link AuthState} kept in a local directory, so that a device survives a process restart
 * without a database: tools, the demo, a single-machine deployment.
 *
 * <p>Layout: {@code credentials.bin} holds {@link Credentials#serialize()}; {@code keys/} holds one
 * file per key, named {@code <type>_b<base64url(id)>} (or {@code <type>_h<sha-256(id)>} when the id
 * is too long for a file name), since ids may hold any character ('|', '/', ':'). Every file is
 * framed with a checksum and replaced atomically ({@link AuthFile}): a crash mid-write leaves the
 * previous content, and a damaged file raises {@link CorruptAuthFileException}, never wrong data.
 * Storage failures raise {@link AuthStorageException}.
 *
 * <p>Files are plaintext and private to the owner (mode 0600 on POSIX): the directory must be as
 * protected as the account itself. The fleet keeps this material encrypted in Firestore instead.
 *
 * <p>Thread-safe. Several instances may share one directory (a restarted client opens it again):
 * every write replaces a whole file, so the last writer of a key wins and no file is ever torn.
 */
public final class DirectoryAuthState implements AuthState {

  private static final Pattern KEY_TYPE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
  /** Longest base64url name kept readable; longer ids are hashed (file names stop at 255 bytes). */
  private static final int MAX_ENCODED_ID = 160;

  private final Path directory;
  private final Path keysDirectory;
  private final Keys keys = new Keys();

  private DirectoryAuthState(Path directory) {
    this.directory = directory;
    this.keysDirectory = directory.resolve("keys");
  }

  /**
   * Opens the state in {@code directory} (created if missing), storing fresh credentials of a new,
   * unpaired device when there are none yet.
   *
   * @throws CorruptAuthFileException if the stored credentials are damaged
   * @throws AuthStorageException if the directory cannot be created or read
   */
  public static DirectoryAuthState open(Path directory) {
    Objects.requireNonNull(directory, "directory == null");
    DirectoryAuthState state = new DirectoryAuthState(directory);
    try {
      Files.createDirectories(state.keysDirectory);
    } catch (IOException e) {
      throw new AuthStorageException(directory, "cannot create the state directory: " + e, e);
    }
    synchronized (state) {
      if (AuthFile.read(state.credentialsFile()).isEmpty()) {
        state.storeCredentials(Credentials.generate(new SecureRandom()));
      } else {
        state.credentials();
      }
    }
    return state;
  }

  /**
   * The stored credentials, read from disk on each call.
   *
   * @throws CorruptAuthFileException if the file is damaged or not credentials
   */
  @Override
  public synchronized Credentials credentials() {
    Path file = credentialsFile();
    byte[] payload = AuthFile.read(file)
        .orElseThrow(() -> new AuthStorageException(file, "credentials file is missing", null));
    try {
      return Credentials.parse(payload);
    } catch (CredentialsFormatException e) {
      throw new CorruptAuthFileException(file, "not credentials: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void storeCredentials(Credentials credentials) {
    Objects.requireNonNull(credentials, "credentials == null");
    AuthFile.write(credentialsFile(), credentials.serialize());
  }

  @Override
  public SignalKeyStore keys() {
    return keys;
  }

  /** The directory this state lives in. */
  public Path directory() {
    return directory;
  }

  private Path credentialsFile() {
    return directory.resolve("credentials.bin");
  }

  private Path keyFile(String type, String id) {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(id, "id == null");
    if (!KEY_TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("key type must be 1..64 lower-case letters, digits or '-'");
    }
    if (id.isEmpty()) {
      throw new IllegalArgumentException("key id is empty");
    }
    byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
    String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(utf8);
    String name = encoded.length() <= MAX_ENCODED_ID ? "b" + encoded : "h" + sha256(utf8);
    return keysDirectory.resolve(type + "_" + name);
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Keys, one file each; the lock makes a batch of stores atomic to this instance's readers. */
  private final class Keys implements SignalKeyStore {

    @Override
    public synchronized Map<String, byte[]> load(String type, Collection<String> ids) {
      Map<String, byte[]> out = new HashMap<>();
      for (String id : ids) {
        AuthFile.read(keyFile(type, id)).ifPresent(value -> out.put(id, value));
      }
      return out;
    }

    @Override
    public synchronized void store(String type, Map<String, byte[]> values) {
      values.forEach((id, value) -> {
        Path file = keyFile(type, id);
        if (value == null) {
          AuthFile.delete(file);
        } else {
          AuthFile.write(file, value);
        }
      });
    }
  }
}
