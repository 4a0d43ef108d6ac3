package io.wafleet.client.signal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.proto.WaSignalProtos.PreKeyRecordStructure;
import java.util.Objects;

/**
 * One of our one-time pre-keys (uploaded to the server, consumed by the first {@code pkmsg} that
 * names it). Immutable; thread-safe.
 */
public record PreKeyRecord(int id, KeyPair keyPair) {

  private static final int FORMAT_VERSION = 1;

  public PreKeyRecord {
    // 24-bit ids on the wire (§8.5 `<id>` is 3 bytes); 0 means "none" to libsignal-node.
    if (id <= 0 || id > 0xFFFFFF) {
      throw new IllegalArgumentException("id out of range: " + id);
    }
    Objects.requireNonNull(keyPair, "keyPair == null");
  }

  /** Parses {@link #serialize()} output. */
  public PreKeyRecord(byte[] serialized) throws InvalidMessageException {
    this(parse(serialized));
  }

  private PreKeyRecord(PreKeyRecordStructure structure) throws InvalidMessageException {
    this(structure.getId(), RecordFormat.keyPair(structure.getPrivateKey(), structure.getPublicKey()));
  }

  public byte[] serialize() {
    return PreKeyRecordStructure.newBuilder()
        .setVersion(FORMAT_VERSION)
        .setId(id)
        .setPublicKey(ByteString.copyFrom(keyPair.publicKey()))
        .setPrivateKey(ByteString.copyFrom(keyPair.privateKey()))
        .build()
        .toByteArray();
  }

  private static PreKeyRecordStructure parse(byte[] serialized) throws InvalidMessageException {
    try {
      PreKeyRecordStructure structure = PreKeyRecordStructure.parseFrom(serialized);
      RecordFormat.checkVersion(structure.getVersion(), FORMAT_VERSION);
      if (structure.getId() <= 0 || structure.getId() > 0xFFFFFF) {
        throw new InvalidMessageException("PreKeyRecord id out of range");
      }
      return structure;
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("malformed PreKeyRecord", e);
    }
  }
}
