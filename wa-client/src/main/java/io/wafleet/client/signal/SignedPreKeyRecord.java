package io.wafleet.client.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.proto.WaSignalProtos.SignedPreKeyRecordStructure;
import java.util.Arrays;
import java.util.Objects;

/**
 * Our signed pre-key: the key pair, the identity key's XEdDSA signature over {@code 05 ‖ public}
 * (§10.1) and when it was made. Immutable; thread-safe.
 */
public record SignedPreKeyRecord(int id, KeyPair keyPair, byte[] signature, long timestampMillis) {

  private static final int FORMAT_VERSION = 1;

  public SignedPreKeyRecord {
    if (id < 0 || id > 0xFFFFFF) {
      throw new IllegalArgumentException("id out of range: " + id);
    }
    Objects.requireNonNull(keyPair, "keyPair == null");
    Objects.requireNonNull(signature, "signature == null");
    signature = signature.clone();
  }

  /** Parses {@link #serialize()} output. */
  public SignedPreKeyRecord(byte[] serialized) throws InvalidMessageException {
    this(parse(serialized));
  }

  private SignedPreKeyRecord(SignedPreKeyRecordStructure s) throws InvalidMessageException {
    this(s.getId(), RecordFormat.keyPair(s.getPrivateKey(), s.getPublicKey()),
        s.getSignature().toByteArray(), s.getTimestampMillis());
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  public byte[] serialize() {
    return SignedPreKeyRecordStructure.newBuilder()
        .setVersion(FORMAT_VERSION)
        .setId(id)
        .setPublicKey(ByteString.copyFrom(keyPair.publicKey()))
        .setPrivateKey(ByteString.copyFrom(keyPair.privateKey()))
        .setSignature(ByteString.copyFrom(signature))
        .setTimestampMillis(timestampMillis)
        .build()
        .toByteArray();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedPreKeyRecord that
        && id == that.id
        && keyPair.equals(that.keyPair)
        && Arrays.equals(signature, that.signature)
        && timestampMillis == that.timestampMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, keyPair, timestampMillis);
  }

  @Override
  public String toString() {
    return "SignedPreKeyRecord[id=" + id + ", timestampMillis=" + timestampMillis + "]";
  }

  private static SignedPreKeyRecordStructure parse(byte[] serialized) throws InvalidMessageException {
    try {
      SignedPreKeyRecordStructure structure = SignedPreKeyRecordStructure.parseFrom(serialized);
      RecordFormat.checkVersion(structure.getVersion(), FORMAT_VERSION);
      if (structure.getId() < 0 || structure.getId() > 0xFFFFFF) {
        throw new InvalidMessageException("SignedPreKeyRecord id out of range");
      }
      return structure;
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("malformed SignedPreKeyRecord", e);
    }
  }
}
