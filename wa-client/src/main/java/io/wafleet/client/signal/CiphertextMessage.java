package io.wafleet.client.signal;

import java.util.Arrays;
import java.util.Objects;

/**
 * One encrypted 1:1 message as {@link SessionCipher#encrypt} returns it: the bytes to put in
 * {@code <enc>} and the type that selects its {@code type} attribute (§8.6–8.7). Immutable;
 * thread-safe.
 */
public record CiphertextMessage(Type type, byte[] serialized) {

  /** The message kinds, with libsignal-node's numbers (Baileys maps 3 to pkmsg, the rest to msg). */
  public enum Type {
    /** A {@code msg}: the peer already answered, so the session needs no announcement. */
    WHISPER(1, "msg"),
    /** A {@code pkmsg}: carries our X3DH base key until the peer answers. */
    PREKEY(3, "pkmsg");

    private final int number;
    private final String wireType;

    Type(int number, String wireType) {
      this.number = number;
      this.wireType = wireType;
    }

    /** libsignal-node's type number. */
    public int number() {
      return number;
    }

    /** The {@code <enc type="…">} value. */
    public String wireType() {
      return wireType;
    }
  }

  public CiphertextMessage {
    Objects.requireNonNull(type, "type == null");
    serialized = Objects.requireNonNull(serialized, "serialized == null").clone();
  }

  @Override
  public byte[] serialized() {
    return serialized.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CiphertextMessage that
        && type == that.type
        && Arrays.equals(serialized, that.serialized);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(serialized);
  }

  @Override
  public String toString() {
    return "CiphertextMessage[type=" + type + ", length=" + serialized.length + "]";
  }
}
