package io.wafleet.client.signal;

import com.google.protobuf.ByteString;
import io.wafleet.client.crypto.Hkdf;
import io.wafleet.client.proto.WaSignalProtos.ChainStructure;
import io.wafleet.client.proto.WaSignalProtos.SkippedKeyStructure;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One symmetric-key chain of the double ratchet, named by the ratchet public key it belongs to
 * (raw 32 bytes). A sending chain only moves forward; a receiving chain also keeps the message
 * key seeds it skipped over, so out-of-order messages still decrypt. Mutable; not thread-safe.
 */
final class Chain {

  /** libsignal-node session_cipher.js fillMessageKeys: "Over 2000 messages into the future!". */
  static final int MAX_SKIP = 2000;

  private static final byte[] MESSAGE_KEY_SEED = {0x01};
  private static final byte[] NEXT_CHAIN_KEY = {0x02};

  private final byte[] ratchetKey;
  private byte[] chainKey;
  private int nextIndex;
  private final LinkedHashMap<Integer, byte[]> skipped;

  Chain(byte[] ratchetKey, byte[] chainKey) {
    this(ratchetKey, chainKey, 0, new LinkedHashMap<>());
  }

  private Chain(byte[] ratchetKey, byte[] chainKey, int nextIndex, LinkedHashMap<Integer, byte[]> skipped) {
    this.ratchetKey = ratchetKey;
    this.chainKey = chainKey;
    this.nextIndex = nextIndex;
    this.skipped = skipped;
  }

  byte[] ratchetKey() {
    return ratchetKey;
  }

  int nextIndex() {
    return nextIndex;
  }

  int skippedCount() {
    return skipped.size();
  }

  /** The seed for the next message to send, advancing the chain. */
  byte[] nextSendingSeed() {
    byte[] seed = Hkdf.hmacSha256(chainKey, MESSAGE_KEY_SEED);
    chainKey = Hkdf.hmacSha256(chainKey, NEXT_CHAIN_KEY);
    nextIndex++;
    return seed;
  }

  /** The seed for received message {@code counter}, consuming it so it cannot be used twice. */
  byte[] takeReceivingSeed(int counter) throws InvalidMessageException, DuplicateMessageException {
    if (counter < nextIndex) {
      byte[] seed = skipped.remove(counter);
      if (seed == null) {
        throw new DuplicateMessageException("message key " + counter + " already used");
      }
      return seed;
    }
    skipTo(counter + 1);
    return skipped.remove(counter);
  }

  /** Derives and keeps the seeds of every message before {@code end}. */
  void skipTo(int end) throws InvalidMessageException {
    if (end <= nextIndex) {
      return;
    }
    if (end - nextIndex > MAX_SKIP) {
      throw new InvalidMessageException("over " + MAX_SKIP + " messages into the future");
    }
    if (chainKey == null) {
      throw new InvalidMessageException("chain closed");
    }
    while (nextIndex < end) {
      skipped.put(nextIndex, Hkdf.hmacSha256(chainKey, MESSAGE_KEY_SEED));
      chainKey = Hkdf.hmacSha256(chainKey, NEXT_CHAIN_KEY);
      nextIndex++;
    }
  }

  /** No more keys after the ones already derived: the sender moved to a new ratchet key. */
  void close() {
    chainKey = null;
  }

  /** Drops the oldest skipped key; false when there is none. */
  boolean evictOldestSkipped() {
    Iterator<Integer> it = skipped.keySet().iterator();
    if (!it.hasNext()) {
      return false;
    }
    it.next();
    it.remove();
    return true;
  }

  Chain copy() {
    LinkedHashMap<Integer, byte[]> keys = new LinkedHashMap<>();
    skipped.forEach((index, seed) -> keys.put(index, seed.clone()));
    return new Chain(ratchetKey.clone(), chainKey == null ? null : chainKey.clone(), nextIndex, keys);
  }

  ChainStructure toStructure() {
    ChainStructure.Builder builder = ChainStructure.newBuilder()
        .setRatchetKey(ByteString.copyFrom(ratchetKey))
        .setNextIndex(nextIndex);
    if (chainKey != null) {
      builder.setChainKey(ByteString.copyFrom(chainKey));
    }
    for (Map.Entry<Integer, byte[]> entry : skipped.entrySet()) {
      builder.addSkippedKeys(SkippedKeyStructure.newBuilder()
          .setIndex(entry.getKey())
          .setSeed(ByteString.copyFrom(entry.getValue())));
    }
    return builder.build();
  }

  static Chain fromStructure(ChainStructure structure) throws InvalidMessageException {
    if (structure.getNextIndex() < 0) {
      throw new InvalidMessageException("chain index out of range");
    }
    LinkedHashMap<Integer, byte[]> keys = new LinkedHashMap<>();
    for (SkippedKeyStructure key : structure.getSkippedKeysList()) {
      keys.put(key.getIndex(), RecordFormat.key32(key.getSeed(), "skipped key"));
    }
    byte[] chainKey =
        structure.hasChainKey() ? RecordFormat.key32(structure.getChainKey(), "chain key") : null;
    return new Chain(RecordFormat.key32(structure.getRatchetKey(), "ratchet key"), chainKey,
        structure.getNextIndex(), keys);
  }
}
