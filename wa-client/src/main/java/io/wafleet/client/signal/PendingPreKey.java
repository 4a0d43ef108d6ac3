package io.wafleet.client.signal;

import com.google.protobuf.ByteString;
import io.wafleet.client.proto.WaSignalProtos.PendingPreKeyStructure;

/**
 * What an initiator repeats in every {@code pkmsg} until the peer answers (§8.6): the pre-keys it
 * used and its base key (raw). {@code preKeyId} is null when the bundle had no one-time pre-key.
 */
record PendingPreKey(Integer preKeyId, int signedPreKeyId, byte[] baseKey) {

  PendingPreKeyStructure toStructure() {
    PendingPreKeyStructure.Builder builder = PendingPreKeyStructure.newBuilder()
        .setSignedPreKeyId(signedPreKeyId)
        .setBaseKey(ByteString.copyFrom(baseKey));
    if (preKeyId != null) {
      builder.setPreKeyId(preKeyId);
    }
    return builder.build();
  }

  static PendingPreKey fromStructure(PendingPreKeyStructure s) throws InvalidMessageException {
    return new PendingPreKey(s.hasPreKeyId() ? s.getPreKeyId() : null, s.getSignedPreKeyId(),
        RecordFormat.key32(s.getBaseKey(), "pending base key"));
  }
}
