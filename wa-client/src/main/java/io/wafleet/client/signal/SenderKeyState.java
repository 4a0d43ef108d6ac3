package io.wafleet.client.signal;

import com.google.protobuf.ByteString;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.proto.WaSignalProtos;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sender's key for one group (docs/protocol.md §10.4): its id, the chain, its signing key
 * (with the private half only on the sender's own state) and the message-key seeds of skipped
 * iterations, at most {@value #MAX_SKIPPED} (oldest dropped), as Baileys keeps them.
 *
 * <p>Not thread-safe: the owner (a {@link SenderKeyRecord}) confines it.
 */
final class SenderKeyState {

  static final int MAX_SKIPPED = 2000;

  private final int keyId;
  private final byte[] signingPublic;
  private final byte[] signingPrivate;
  private SenderChainKey chain;
  private final Map<Integer, byte[]> skipped = new LinkedHashMap<>();

  SenderKeyState(int keyId, SenderChainKey chain, byte[] signingPublic, byte[] signingPrivate) {
    this.keyId = keyId;
    this.chain = chain;
    this.signingPublic = Curve25519.withoutTypePrefix(signingPublic);
    this.signingPrivate = signingPrivate == null ? null : signingPrivate.clone();
  }

  int keyId() {
    return keyId;
  }

  SenderChainKey chain() {
    return chain;
  }

  void chain(SenderChainKey next) {
    this.chain = next;
  }

  /** The raw 32-byte public signing key. */
  byte[] signingPublic() {
    return signingPublic.clone();
  }

  /** The private signing key, or null on a state learnt from a distribution message. */
  byte[] signingPrivate() {
    return signingPrivate == null ? null : signingPrivate.clone();
  }

  void addSkipped(int iteration, byte[] seed) {
    skipped.put(iteration, seed.clone());
    if (skipped.size() > MAX_SKIPPED) {
      Iterator<Integer> oldest = skipped.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Removes and returns the seed of a skipped iteration, or null. */
  byte[] takeSkipped(int iteration) {
    return skipped.remove(iteration);
  }

  int skippedCount() {
    return skipped.size();
  }

  WaSignalProtos.SenderKeyStateStructure toStructure() {
    WaSignalProtos.SenderKeyStateStructure.Builder b = WaSignalProtos.SenderKeyStateStructure
        .newBuilder().setKeyId(keyId).setIteration(chain.iteration())
        .setChainKey(ByteString.copyFrom(chain.key()))
        .setSigningPublic(ByteString.copyFrom(signingPublic));
    if (signingPrivate != null) {
      b.setSigningPrivate(ByteString.copyFrom(signingPrivate));
    }
    skipped.forEach((iteration, seed) -> b.addSkipped(WaSignalProtos.SkippedKeyStructure
        .newBuilder().setIndex(iteration).setSeed(ByteString.copyFrom(seed))));
    return b.build();
  }

  static SenderKeyState fromStructure(WaSignalProtos.SenderKeyStateStructure s)
      throws InvalidMessageException {
    try {
      SenderKeyState state = new SenderKeyState(s.getKeyId(),
          new SenderChainKey(WireFormat.counter(s.getIteration(), "iteration"),
              RecordFormat.key32(s.getChainKey(), "chainKey")),
          RecordFormat.key32(s.getSigningPublic(), "signingPublic"),
          s.hasSigningPrivate() ? RecordFormat.key32(s.getSigningPrivate(), "signingPrivate")
              : null);
      for (WaSignalProtos.SkippedKeyStructure key : s.getSkippedList()) {
        state.addSkipped(WireFormat.counter(key.getIndex(), "iteration"),
            RecordFormat.key32(key.getSeed(), "seed"));
      }
      return state;
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("malformed sender key state", e);
    }
  }
}
