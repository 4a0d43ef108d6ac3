package io.wafleet.client.signal;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hkdf;
import io.wafleet.client.crypto.KeyPair;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The double ratchet on one {@link SessionState}, as libsignal-node session_cipher.js runs it
 * (§10.2): encrypt on the sending chain; on decrypt, a new remote ratchet key closes the old
 * receiving chain (after keeping its keys up to {@code previousCounter}), opens a receiving chain
 * and a sending chain under a fresh ratchet key pair. Stateless; thread-safe.
 */
final class Ratchet {

  private static final byte[] WHISPER_RATCHET = "WhisperRatchet".getBytes(StandardCharsets.US_ASCII);

  private Ratchet() {}

  /** One root-chain step: {@code HKDF(DH, salt = root key, "WhisperRatchet")} → root, chain. */
  static Chain deriveChain(SessionState state, byte[] theirRatchetKey, byte[] chainName) {
    byte[] shared = Curve25519.agree(state.ourRatchet().privateKey(), theirRatchetKey);
    byte[] okm = Hkdf.derive(shared, state.rootKey(), WHISPER_RATCHET, 64);
    state.rootKey(Arrays.copyOfRange(okm, 0, 32));
    return new Chain(chainName, Arrays.copyOfRange(okm, 32, 64));
  }

  static SignalMessage encrypt(SessionState state, byte[] plaintext) throws NoSessionException {
    Chain chain = state.sendingChain();
    if (chain == null) {
      throw new NoSessionException("session has no sending chain yet");
    }
    int counter = chain.nextIndex();
    MessageKeys keys = MessageKeys.derive(chain.nextSendingSeed());
    return SignalMessage.create(state.ourRatchet().publicKey(), counter, state.previousCounter(),
        AesCbc.encrypt(keys, plaintext), keys.macKey(), state.localIdentityKey(),
        state.remoteIdentityKey());
  }

  /** Decrypts on {@code state}, which it changes even on failure: pass a copy. */
  static byte[] decrypt(SessionState state, SignalMessage message, Supplier<KeyPair> keyPairs)
      throws InvalidMessageException, DuplicateMessageException {
    byte[] theirKey = message.ratchetKey();
    Chain chain = state.receivingChain(theirKey);
    if (chain == null) {
      if (Arrays.equals(theirKey, state.ourRatchet().publicKey())) {
        throw new InvalidMessageException("message names our own ratchet key");
      }
      chain = step(state, theirKey, message.previousCounter(), keyPairs);
    }
    byte[] seed = chain.takeReceivingSeed(message.counter());
    state.trimSkippedKeys();
    MessageKeys keys = MessageKeys.derive(seed);
    message.verifyMac(keys.macKey(), state.remoteIdentityKey(), state.localIdentityKey());
    byte[] plaintext = AesCbc.decrypt(keys, message.ciphertext());
    state.pendingPreKey(null);
    return plaintext;
  }

  private static Chain step(SessionState state, byte[] theirKey, int previousCounter,
      Supplier<KeyPair> keyPairs) throws InvalidMessageException {
    Chain previous = state.receivingChain(state.theirRatchetKey());
    if (previous != null) {
      previous.skipTo(previousCounter + 1);
      previous.close();
    }
    Chain receiving = deriveChain(state, theirKey, theirKey);
    state.addReceivingChain(receiving);
    Chain sending = state.sendingChain();
    if (sending != null) {
      // libsignal-node stores the last counter sent on the old chain.
      state.previousCounter(Math.max(0, sending.nextIndex() - 1));
    }
    KeyPair ours = keyPairs.get();
    state.ourRatchet(ours);
    state.sendingChain(deriveChain(state, theirKey, ours.publicKey()));
    state.theirRatchetKey(theirKey);
    return receiving;
  }
}
