package io.wafleet.simulator.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.proto.WaSignalProtos.PreKeyWhisperMessage;
import java.util.Arrays;
import java.util.Locale;

/**
 * Deliberate damage a simulated phone can do to what it sends, so that receivers' bad-input paths
 * (§9.2, §9.4) can be tested against a real Signal peer. Stateless; thread-safe.
 */
public enum Tamper {
  /** Sent as encrypted. */
  NONE,
  /** Well-formed, but one byte of the 8-byte MAC flipped (§10.3): the MAC check fails. */
  BAD_MAC,
  /** Truncated to half its length: the ciphertext does not parse. */
  CORRUPT,
  /**
   * The inner {@code msg} of a fresh session's {@code pkmsg}, sent as {@code type="msg"}: the
   * receiver has no session it belongs to.
   */
  NO_SESSION,
  /** Group sends only: the skmsg's 64-byte signature has one bit flipped (§10.4). */
  BAD_SIGNATURE,
  /** Group sends only: the skmsg goes out without the sender-key distribution (§10.4). */
  NO_SENDER_KEY;

  /** True for the kinds that apply to group sends. */
  public boolean forGroups() {
    return this == NONE || this == BAD_SIGNATURE || this == NO_SENDER_KEY;
  }

  /** True for the kinds that apply to 1:1 sends. */
  public boolean forUsers() {
    return this != BAD_SIGNATURE && this != NO_SENDER_KEY;
  }

  /**
   * {@code none}, {@code bad-mac}, {@code corrupt}, {@code no-session}, {@code bad-signature},
   * {@code no-sender-key}; null means NONE.
   */
  public static Tamper parse(String value) {
    if (value == null) {
      return NONE;
    }
    return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** The enc type and bytes to send instead of {@code type}/{@code serialized}. */
  Enc apply(String type, byte[] serialized) {
    return switch (this) {
      case NONE -> new Enc(type, serialized);
      case CORRUPT -> new Enc(type, Arrays.copyOf(serialized, serialized.length / 2));
      case BAD_MAC -> new Enc(type, "pkmsg".equals(type)
          ? mapInner(serialized, Tamper::flipLast) : flipLast(serialized));
      case NO_SESSION -> new Enc("msg", "pkmsg".equals(type) ? inner(serialized) : serialized);
      case BAD_SIGNATURE, NO_SENDER_KEY -> throw new IllegalStateException(this + " is for groups");
    };
  }

  /** An enc type and its bytes. */
  record Enc(String type, byte[] bytes) {}

  private static byte[] flipLast(byte[] bytes) {
    byte[] out = bytes.clone();
    out[out.length - 1] ^= 0x01;
    return out;
  }

  private static byte[] inner(byte[] pkmsg) {
    try {
      return PreKeyWhisperMessage.parseFrom(Arrays.copyOfRange(pkmsg, 1, pkmsg.length))
          .getMessage().toByteArray();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("our own pkmsg does not parse", e);
    }
  }

  private static byte[] mapInner(byte[] pkmsg, java.util.function.UnaryOperator<byte[]> change) {
    try {
      PreKeyWhisperMessage message = PreKeyWhisperMessage.parseFrom(
          Arrays.copyOfRange(pkmsg, 1, pkmsg.length));
      byte[] body = message.toBuilder()
          .setMessage(ByteString.copyFrom(change.apply(message.getMessage().toByteArray())))
          .build().toByteArray();
      byte[] out = new byte[body.length + 1];
      out[0] = pkmsg[0];
      System.arraycopy(body, 0, out, 1, body.length);
      return out;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("our own pkmsg does not parse", e);
    }
  }
}
