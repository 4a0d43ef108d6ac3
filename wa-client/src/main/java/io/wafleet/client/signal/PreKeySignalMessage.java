package io.wafleet.client.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.proto.WaSignalProtos.PreKeyWhisperMessage;

/**
 * A {@code pkmsg}: {@code 33 ‖ PreKeyWhisperMessage} whose {@code message} field is a whole
 * {@link SignalMessage} (§10.3). It carries no MAC of its own. Public keys held raw;
 * {@code preKeyId} is null when no one-time pre-key was used. Immutable.
 */
record PreKeySignalMessage(int registrationId, Integer preKeyId, int signedPreKeyId,
    byte[] baseKey, byte[] identityKey, SignalMessage message, byte[] serialized) {

  static PreKeySignalMessage create(int registrationId, PendingPreKey pending,
      byte[] identityKey, SignalMessage message) {
    PreKeyWhisperMessage.Builder builder = PreKeyWhisperMessage.newBuilder()
        .setBaseKey(ByteString.copyFrom(Curve25519.withTypePrefix(pending.baseKey())))
        .setIdentityKey(ByteString.copyFrom(Curve25519.withTypePrefix(identityKey)))
        .setMessage(ByteString.copyFrom(message.serialized()))
        .setRegistrationId(registrationId)
        .setSignedPreKeyId(pending.signedPreKeyId());
    if (pending.preKeyId() != null) {
      builder.setPreKeyId(pending.preKeyId());
    }
    byte[] proto = builder.build().toByteArray();
    byte[] out = new byte[1 + proto.length];
    out[0] = WireFormat.VERSION_BYTE;
    System.arraycopy(proto, 0, out, 1, proto.length);
    return new PreKeySignalMessage(registrationId, pending.preKeyId(), pending.signedPreKeyId(),
        pending.baseKey(), identityKey, message, out);
  }

  static PreKeySignalMessage parse(byte[] serialized) throws InvalidMessageException {
    if (serialized == null || serialized.length < 2) {
      throw new InvalidMessageException("PreKeyWhisperMessage truncated");
    }
    WireFormat.checkVersion(serialized[0], "PreKeyWhisperMessage");
    PreKeyWhisperMessage proto;
    try {
      proto = PreKeyWhisperMessage.parseFrom(ByteString.copyFrom(serialized, 1, serialized.length - 1));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("malformed PreKeyWhisperMessage", e);
    }
    if (!proto.hasBaseKey() || !proto.hasIdentityKey() || !proto.hasMessage()
        || !proto.hasSignedPreKeyId()) {
      throw new InvalidMessageException("incomplete PreKeyWhisperMessage");
    }
    // libsignal-node treats an absent or zero preKeyId alike (session_builder.js initIncoming).
    Integer preKeyId = proto.getPreKeyId() != 0 ? proto.getPreKeyId() : null;
    return new PreKeySignalMessage(proto.getRegistrationId(), preKeyId, proto.getSignedPreKeyId(),
        WireFormat.publicKey(proto.getBaseKey(), "base key"),
        WireFormat.publicKey(proto.getIdentityKey(), "identity key"),
        SignalMessage.parse(proto.getMessage().toByteArray()), serialized.clone());
  }
}
