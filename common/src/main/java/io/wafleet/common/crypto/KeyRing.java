package io.wafleet.common.crypto;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The AES-256 keys that protect session blobs, by id, and which one encrypts new blobs. Old keys stay
 * in the ring after a rotation so existing blobs still decrypt. Immutable; thread-safe.
 */
public final class KeyRing {

  private static final int KEY_LENGTH = 32;

  private final Map<String, byte[]> keys;
  private final String currentKeyId;

  public KeyRing(Map<String, byte[]> keys, String currentKeyId) {
    Objects.requireNonNull(keys, "keys == null");
    Objects.requireNonNull(currentKeyId, "currentKeyId == null");
    Map<String, byte[]> copy = new LinkedHashMap<>();
    keys.forEach((id, key) -> {
      if (id == null || id.isBlank() || id.contains(":") || id.contains(",")) {
        throw new IllegalArgumentException("key id must be non-blank without ':' or ','");
      }
      if (key == null || key.length != KEY_LENGTH) {
        throw new IllegalArgumentException("key '" + id + "' must be 32 bytes");
      }
      copy.put(id, key.clone());
    });
    if (!copy.containsKey(currentKeyId)) {
      throw new IllegalArgumentException("current key id '" + currentKeyId + "' is not in the ring");
    }
    this.keys = copy;
    this.currentKeyId = currentKeyId;
  }

  /**
   * Parses {@code "id1:base64key1,id2:base64key2"}; the first entry encrypts new blobs. This is the
   * format of WAFLEET_SESSION_KEYS (docs/configuration.md). The message never echoes key material.
   */
  public static KeyRing parse(String spec) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("session key spec is empty");
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    String first = null;
    for (String entry : spec.split(",")) {
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("session key entry must be id:base64key");
      }
      String id = entry.substring(0, colon).trim();
      byte[] key;
      try {
        key = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("session key '" + id + "' is not valid base64");
      }
      if (keys.put(id, key) != null) {
        throw new IllegalArgumentException("session key id '" + id + "' appears twice");
      }
      first = first == null ? id : first;
    }
    return new KeyRing(keys, first);
  }

  public String currentKeyId() {
    return currentKeyId;
  }

  byte[] key(String id) {
    return find(id).orElseThrow(() -> new IllegalStateException("no key " + id));
  }

  Optional<byte[]> find(String id) {
    return Optional.ofNullable(keys.get(id));
  }

  @Override
  public String toString() {
    return "KeyRing[ids=" + keys.keySet() + ", current=" + currentKeyId + "]";
  }
}
