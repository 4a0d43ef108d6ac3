package io.wafleet.client.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.proto.WaSignalProtos;
import java.util.Arrays;

/**
 * A group message as sent in {@code <enc type="skmsg">} (docs/protocol.md §10.4):
 * {@code 33 ‖ SenderKeyMessage{id, iteration, ciphertext} ‖ signature(64)}, the XEdDSA signature
 * by the sender's signing key over everything before it. Immutable; thread-safe.
 */
public final class SenderKeyMessage {

  private final int keyId;
  private final int iteration;
  private final byte[] ciphertext;
  private final byte[] serialized;

  private SenderKeyMessage(int keyId, int iteration, byte[] ciphertext, byte[] serialized) {
    this.keyId = keyId;
    this.iteration = iteration;
    this.ciphertext = ciphertext;
    this.serialized = serialized;
  }

  /** Builds and signs a message with the sender's private signing key. */
  static SenderKeyMessage create(int keyId, int iteration, byte[] ciphertext,
      byte[] signingPrivate) {
    byte[] body = WaSignalProtos.SenderKeyMessage.newBuilder().setId(keyId)
        .setIteration(iteration).setCiphertext(ByteString.copyFrom(ciphertext)).build()
        .toByteArray();
    byte[] signed = new byte[1 + body.length];
    signed[0] = WireFormat.VERSION_BYTE;
    System.arraycopy(body, 0, signed, 1, body.length);
    byte[] signature = Curve25519.sign(signingPrivate, signed);
    byte[] out = Arrays.copyOf(signed, signed.length + signature.length);
    System.arraycopy(signature, 0, out, signed.length, signature.length);
    return new SenderKeyMessage(keyId, iteration, ciphertext.clone(), out);
  }

  /**
   * Reads a serialized message (the signature is checked separately, {@link #verify}).
   *
   * @throws InvalidMessageException if it is too short, of another version or not a protobuf
   */
  public static SenderKeyMessage parse(byte[] serialized) throws InvalidMessageException {
    if (serialized == null || serialized.length < 1 + Curve25519.SIGNATURE_LENGTH + 1) {
      throw new InvalidMessageException("sender key message too short");
    }
    WireFormat.checkVersion(serialized[0], "sender key message");
    byte[] body = Arrays.copyOfRange(serialized, 1,
        serialized.length - Curve25519.SIGNATURE_LENGTH);
    try {
      WaSignalProtos.SenderKeyMessage message = WaSignalProtos.SenderKeyMessage.parseFrom(body);
      if (!message.hasId() || !message.hasIteration() || !message.hasCiphertext()) {
        throw new InvalidMessageException("incomplete sender key message");
      }
      return new SenderKeyMessage(message.getId(),
          WireFormat.counter(message.getIteration(), "iteration"),
          message.getCiphertext().toByteArray(), serialized.clone());
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("sender key message is not a protobuf", e);
    }
  }

  /** Checks the signature against the sender's public signing key. */
  void verify(byte[] signingPublic) throws InvalidMessageException {
    int split = serialized.length - Curve25519.SIGNATURE_LENGTH;
    if (!Curve25519.verify(signingPublic, Arrays.copyOf(serialized, split),
        Arrays.copyOfRange(serialized, split, serialized.length))) {
      throw new InvalidMessageException("bad sender key signature");
    }
  }

  public int keyId() {
    return keyId;
  }

  public int iteration() {
    return iteration;
  }

  byte[] ciphertext() {
    return ciphertext.clone();
  }

  public byte[] serialize() {
    return serialized.clone();
  }
}
