package io.wafleet.client.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A WhatsApp message id. Ids are opaque to the server and to Baileys (docs/protocol.md
 * §8.1), so wafleet derives the id of an outbound message from its outbox id: a resend after a crash
 * is then the same message, never a duplicate. Immutable; thread-safe.
 */
public record MessageId(String value) {

  /** Baileys' web ids start with "3EB0" (§8.1); ours do too, so they look like any web client's. */
  private static final String PREFIX = "3EB0";
  private static final int MAX_LENGTH = 128;
  private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

  public MessageId {
    Objects.requireNonNull(value, "value == null");
    if (value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("message id length must be 1.." + MAX_LENGTH);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        throw new IllegalArgumentException("message id contains whitespace or control characters");
      }
    }
  }

  /** The same key always gives the same id: "3EB0" + 18 hex digits of SHA-256("wafleet:" + key). */
  public static MessageId derivedFrom(String key) {
    Objects.requireNonNull(key, "key == null");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key is empty");
    }
    return new MessageId(PREFIX + UPPER_HEX.formatHex(sha256(("wafleet:" + key).getBytes(StandardCharsets.UTF_8)))
        .substring(0, 18));
  }

  /**
   * A fresh id in the form of Baileys' generateMessageIDV2 (§8.1): "3EB0" + 18 hex digits of
   * SHA-256(unix seconds ‖ user ‖ "@c.us" ‖ 16 random bytes).
   */
  public static MessageId generate(Jid me, Instant now, SecureRandom random) {
    byte[] user = (me == null ? "" : me.user() + "@c.us").getBytes(StandardCharsets.UTF_8);
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    ByteBuffer input = ByteBuffer.allocate(8 + user.length + salt.length);
    input.putLong(now.getEpochSecond()).put(user).put(salt);
    return new MessageId(PREFIX + UPPER_HEX.formatHex(sha256(input.array())).substring(0, 18));
  }

  @Override
  public String toString() {
    return value;
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
