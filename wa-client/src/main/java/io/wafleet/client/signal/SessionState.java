package io.wafleet.client.signal;

import com.google.protobuf.ByteString;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.proto.WaSignalProtos.ChainStructure;
import io.wafleet.client.proto.WaSignalProtos.SessionStateStructure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One double-ratchet session with one remote device: root key, our ratchet key pair, their
 * current ratchet key, the sending chain and a few receiving chains, plus the X3DH facts needed
 * to recognise and announce the session. Public keys are raw 32 bytes. Mirrors its storage
 * message {@code SessionStateStructure}, hence its many fields. Mutable; not thread-safe.
 */
final class SessionState {

  /** Like upstream libsignal's MAX_RECEIVER_CHAINS; libsignal-node keeps all of them. */
  static final int MAX_RECEIVING_CHAINS = 5;
  /** Cap on skipped message keys across all receiving chains (libsignal-node has none). */
  static final int MAX_SKIPPED_KEYS = Chain.MAX_SKIP;

  private final int remoteRegistrationId;
  private final byte[] localIdentityKey;
  private final byte[] remoteIdentityKey;
  private final byte[] baseKey;
  private final boolean baseKeyIsOurs;
  private byte[] rootKey;
  private KeyPair ourRatchet;
  private byte[] theirRatchetKey;
  private int previousCounter;
  private Chain sendingChain;
  private final List<Chain> receivingChains;
  private PendingPreKey pendingPreKey;

  SessionState(int remoteRegistrationId, byte[] localIdentityKey, byte[] remoteIdentityKey,
      byte[] baseKey, boolean baseKeyIsOurs) {
    this.remoteRegistrationId = remoteRegistrationId;
    this.localIdentityKey = localIdentityKey.clone();
    this.remoteIdentityKey = remoteIdentityKey.clone();
    this.baseKey = baseKey.clone();
    this.baseKeyIsOurs = baseKeyIsOurs;
    this.receivingChains = new ArrayList<>();
  }

  int remoteRegistrationId() {
    return remoteRegistrationId;
  }

  byte[] localIdentityKey() {
    return localIdentityKey;
  }

  byte[] remoteIdentityKey() {
    return remoteIdentityKey;
  }

  /** True when {@code key} is the base key the remote initiator used for this session. */
  boolean hasTheirBaseKey(byte[] key) {
    return !baseKeyIsOurs && Arrays.equals(baseKey, key);
  }

  byte[] rootKey() {
    return rootKey;
  }

  void rootKey(byte[] rootKey) {
    this.rootKey = rootKey;
  }

  KeyPair ourRatchet() {
    return ourRatchet;
  }

  void ourRatchet(KeyPair ourRatchet) {
    this.ourRatchet = ourRatchet;
  }

  byte[] theirRatchetKey() {
    return theirRatchetKey;
  }

  void theirRatchetKey(byte[] theirRatchetKey) {
    this.theirRatchetKey = theirRatchetKey;
  }

  int previousCounter() {
    return previousCounter;
  }

  void previousCounter(int previousCounter) {
    this.previousCounter = previousCounter;
  }

  /** Null only for a responder state that has not decrypted its first message yet. */
  Chain sendingChain() {
    return sendingChain;
  }

  void sendingChain(Chain chain) {
    this.sendingChain = chain;
  }

  PendingPreKey pendingPreKey() {
    return pendingPreKey;
  }

  void pendingPreKey(PendingPreKey pending) {
    this.pendingPreKey = pending;
  }

  Chain receivingChain(byte[] ratchetKey) {
    for (Chain chain : receivingChains) {
      if (Arrays.equals(chain.ratchetKey(), ratchetKey)) {
        return chain;
      }
    }
    return null;
  }

  void addReceivingChain(Chain chain) {
    receivingChains.add(chain);
    while (receivingChains.size() > MAX_RECEIVING_CHAINS) {
      receivingChains.remove(0);
    }
  }

  /** Evicts the oldest skipped keys, oldest chain first, until at most the cap remain. */
  void trimSkippedKeys() {
    int total = receivingChains.stream().mapToInt(Chain::skippedCount).sum();
    for (Chain chain : receivingChains) {
      while (total > MAX_SKIPPED_KEYS && chain.evictOldestSkipped()) {
        total--;
      }
    }
  }

  SessionState copy() {
    SessionState copy = new SessionState(
        remoteRegistrationId, localIdentityKey, remoteIdentityKey, baseKey, baseKeyIsOurs);
    copy.rootKey = rootKey.clone();
    copy.ourRatchet = ourRatchet;
    copy.theirRatchetKey = theirRatchetKey.clone();
    copy.previousCounter = previousCounter;
    copy.sendingChain = sendingChain == null ? null : sendingChain.copy();
    receivingChains.forEach(chain -> copy.receivingChains.add(chain.copy()));
    copy.pendingPreKey = pendingPreKey;
    return copy;
  }

  SessionStateStructure toStructure() {
    SessionStateStructure.Builder b = SessionStateStructure.newBuilder()
        .setRemoteRegistrationId(remoteRegistrationId)
        .setLocalIdentityKey(ByteString.copyFrom(localIdentityKey))
        .setRemoteIdentityKey(ByteString.copyFrom(remoteIdentityKey))
        .setRootKey(ByteString.copyFrom(rootKey))
        .setOurRatchetPublic(ByteString.copyFrom(ourRatchet.publicKey()))
        .setOurRatchetPrivate(ByteString.copyFrom(ourRatchet.privateKey()))
        .setTheirRatchetKey(ByteString.copyFrom(theirRatchetKey))
        .setPreviousCounter(previousCounter)
        .setBaseKey(ByteString.copyFrom(baseKey))
        .setBaseKeyIsOurs(baseKeyIsOurs);
    if (sendingChain != null) {
      b.setSendingChain(sendingChain.toStructure());
    }
    receivingChains.forEach(chain -> b.addReceivingChains(chain.toStructure()));
    if (pendingPreKey != null) {
      b.setPendingPreKey(pendingPreKey.toStructure());
    }
    return b.build();
  }

  static SessionState fromStructure(SessionStateStructure s) throws InvalidMessageException {
    SessionState state = new SessionState(s.getRemoteRegistrationId(),
        RecordFormat.key32(s.getLocalIdentityKey(), "local identity"),
        RecordFormat.key32(s.getRemoteIdentityKey(), "remote identity"),
        RecordFormat.key32(s.getBaseKey(), "base key"), s.getBaseKeyIsOurs());
    state.rootKey = RecordFormat.key32(s.getRootKey(), "root key");
    state.ourRatchet = RecordFormat.keyPair(s.getOurRatchetPrivate(), s.getOurRatchetPublic());
    state.theirRatchetKey = RecordFormat.key32(s.getTheirRatchetKey(), "their ratchet key");
    state.previousCounter = s.getPreviousCounter();
    if (s.hasSendingChain()) {
      state.sendingChain = Chain.fromStructure(s.getSendingChain());
    }
    for (ChainStructure chain : s.getReceivingChainsList()) {
      state.receivingChains.add(Chain.fromStructure(chain));
    }
    if (s.hasPendingPreKey()) {
      state.pendingPreKey = PendingPreKey.fromStructure(s.getPendingPreKey());
    }
    return state;
  }
}
