package io.wafleet.client.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hkdf;
import io.wafleet.client.proto.WaSignalProtos.WhisperMessage;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A {@code msg}: {@code 33 ‖ WhisperMessage ‖ MAC(8)} (§10.3). The MAC is the first 8 bytes of
 * HMAC-SHA256(macKey, senderIdentity33 ‖ receiverIdentity33 ‖ 33 ‖ protobuf), computed over the
 * protobuf bytes as received. Public keys held raw. Immutable.
 */
record SignalMessage(byte[] ratchetKey, int counter, int previousCounter, byte[] ciphertext,
    byte[] serialized) {

  /** Version byte, at least one protobuf byte, MAC. */
  private static final int MIN_LENGTH = 1 + 1 + WireFormat.MAC_LENGTH;

  static SignalMessage create(byte[] ratchetKey, int counter, int previousCounter,
      byte[] ciphertext, byte[] macKey, byte[] senderIdentity, byte[] receiverIdentity) {
    byte[] proto = WhisperMessage.newBuilder()
        .setEphemeralKey(ByteString.copyFrom(Curve25519.withTypePrefix(ratchetKey)))
        .setCounter(counter)
        .setPreviousCounter(previousCounter)
        .setCiphertext(ByteString.copyFrom(ciphertext))
        .build()
        .toByteArray();
    byte[] mac = mac(macKey, senderIdentity, receiverIdentity, proto);
    byte[] out = new byte[1 + proto.length + WireFormat.MAC_LENGTH];
    out[0] = WireFormat.VERSION_BYTE;
    System.arraycopy(proto, 0, out, 1, proto.length);
    System.arraycopy(mac, 0, out, 1 + proto.length, WireFormat.MAC_LENGTH);
    return new SignalMessage(ratchetKey, counter, previousCounter, ciphertext, out);
  }

  static SignalMessage parse(byte[] serialized) throws InvalidMessageException {
    if (serialized == null || serialized.length < MIN_LENGTH) {
      throw new InvalidMessageException("WhisperMessage truncated");
    }
    WireFormat.checkVersion(serialized[0], "WhisperMessage");
    WhisperMessage proto;
    try {
      proto = WhisperMessage.parseFrom(protoBytes(serialized));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("malformed WhisperMessage", e);
    }
    if (!proto.hasEphemeralKey() || !proto.hasCounter() || !proto.hasCiphertext()) {
      throw new InvalidMessageException("incomplete WhisperMessage");
    }
    return new SignalMessage(WireFormat.publicKey(proto.getEphemeralKey(), "ephemeral key"),
        WireFormat.counter(proto.getCounter(), "counter"),
        WireFormat.counter(proto.getPreviousCounter(), "previous counter"),
        proto.getCiphertext().toByteArray(), serialized.clone());
  }

  /** Checks the MAC in constant time. */
  void verifyMac(byte[] macKey, byte[] senderIdentity, byte[] receiverIdentity)
      throws InvalidMessageException {
    byte[] expected = mac(macKey, senderIdentity, receiverIdentity, protoBytes(serialized));
    byte[] received = Arrays.copyOfRange(serialized, serialized.length - WireFormat.MAC_LENGTH,
        serialized.length);
    if (!MessageDigest.isEqual(expected, received)) {
      throw new InvalidMessageException("bad MAC");
    }
  }

  private static byte[] protoBytes(byte[] serialized) {
    return Arrays.copyOfRange(serialized, 1, serialized.length - WireFormat.MAC_LENGTH);
  }

  private static byte[] mac(byte[] macKey, byte[] senderIdentity, byte[] receiverIdentity,
      byte[] proto) {
    byte[] full = Hkdf.hmacSha256(macKey, Curve25519.withTypePrefix(senderIdentity),
        Curve25519.withTypePrefix(receiverIdentity), new byte[] {WireFormat.VERSION_BYTE}, proto);
    return Arrays.copyOf(full, WireFormat.MAC_LENGTH);
  }
}
