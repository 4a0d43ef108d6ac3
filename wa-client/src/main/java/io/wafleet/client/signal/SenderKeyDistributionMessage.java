package io.wafleet.client.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.proto.WaSignalProtos;
import java.util.Arrays;

/**
 * A sender's key for a group, handed to each member device pairwise inside
 * {@code Message.senderKeyDistributionMessage.axolotlSenderKeyDistributionMessage}
 * (docs/protocol.md §10.4): {@code 33 ‖ SenderKeyDistributionMessage{id, iteration, chainKey,
 * signingKey (05 ‖ key)}}. Immutable; thread-safe.
 *
 * @param keyId the sender key's id
 * @param iteration the chain step the chain key is at
 * @param chainKey 32 bytes
 * @param signingKey the raw 32-byte public signing key
 */
public record SenderKeyDistributionMessage(int keyId, int iteration, byte[] chainKey,
    byte[] signingKey) {

  public SenderKeyDistributionMessage {
    if (chainKey == null || chainKey.length != 32) {
      throw new IllegalArgumentException("chainKey must be 32 bytes");
    }
    chainKey = chainKey.clone();
    signingKey = Curve25519.withoutTypePrefix(signingKey);
  }

  @Override
  public byte[] chainKey() {
    return chainKey.clone();
  }

  @Override
  public byte[] signingKey() {
    return signingKey.clone();
  }

  public byte[] serialize() {
    byte[] body = WaSignalProtos.SenderKeyDistributionMessage.newBuilder().setId(keyId)
        .setIteration(iteration).setChainKey(ByteString.copyFrom(chainKey))
        .setSigningKey(ByteString.copyFrom(Curve25519.withTypePrefix(signingKey))).build()
        .toByteArray();
    byte[] out = new byte[1 + body.length];
    out[0] = WireFormat.VERSION_BYTE;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  /**
   * Reads a serialized distribution message.
   *
   * @throws InvalidMessageException if it is of another version, not a protobuf, or lacks a
   *     32-byte chain key or a valid signing key
   */
  public static SenderKeyDistributionMessage parse(byte[] serialized)
      throws InvalidMessageException {
    if (serialized == null || serialized.length < 2) {
      throw new InvalidMessageException("sender key distribution message too short");
    }
    WireFormat.checkVersion(serialized[0], "sender key distribution message");
    try {
      WaSignalProtos.SenderKeyDistributionMessage message =
          WaSignalProtos.SenderKeyDistributionMessage.parseFrom(
              Arrays.copyOfRange(serialized, 1, serialized.length));
      if (!message.hasId() || !message.hasIteration() || message.getChainKey().size() != 32) {
        throw new InvalidMessageException("incomplete sender key distribution message");
      }
      return new SenderKeyDistributionMessage(message.getId(),
          WireFormat.counter(message.getIteration(), "iteration"),
          message.getChainKey().toByteArray(),
          WireFormat.publicKey(message.getSigningKey(), "signing key"));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("sender key distribution message is not a protobuf", e);
    }
  }
}
