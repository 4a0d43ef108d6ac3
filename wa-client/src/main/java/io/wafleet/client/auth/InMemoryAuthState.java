package io.wafleet.client.auth;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link AuthState} held in memory: for tests, tools and as the reference implementation.
 * Thread-safe.
 */
public final class InMemoryAuthState implements AuthState {

  private volatile Credentials credentials;
  private final InMemoryKeyStore keys = new InMemoryKeyStore();

  public InMemoryAuthState(Credentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials == null");
  }

  /** A fresh, unpaired device. */
  public static InMemoryAuthState create() {
    return new InMemoryAuthState(Credentials.generate(new SecureRandom()));
  }

  @Override
  public Credentials credentials() {
    return credentials;
  }

  @Override
  public void storeCredentials(Credentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials == null");
  }

  @Override
  public SignalKeyStore keys() {
    return keys;
  }

  private static final class InMemoryKeyStore implements SignalKeyStore {
    private final Map<String, Map<String, byte[]>> byType = new ConcurrentHashMap<>();

    @Override
    public Map<String, byte[]> load(String type, Collection<String> ids) {
      Objects.requireNonNull(type, "type == null");
      Map<String, byte[]> stored = byType.getOrDefault(type, Map.of());
      Map<String, byte[]> result = new HashMap<>();
      for (String id : ids) {
        byte[] value = stored.get(id);
        if (value != null) {
          result.put(id, value.clone());
        }
      }
      return result;
    }

    @Override
    public void store(String type, Map<String, byte[]> values) {
      Objects.requireNonNull(type, "type == null");
      Map<String, byte[]> stored = byType.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
      values.forEach((id, value) -> {
        if (value == null) {
          stored.remove(id);
        } else {
          stored.put(id, value.clone());
        }
      });
    }
  }
}
