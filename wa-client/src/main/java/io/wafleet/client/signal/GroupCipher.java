package io.wafleet.client.signal;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Sender-key encryption for groups, WhatsApp's {@code skmsg} (docs/protocol.md §10.4): one chain
 * per sender and group, announced to each member device by a {@link SenderKeyDistributionMessage}
 * inside a pairwise (pkmsg/msg) message, then one signed {@link SenderKeyMessage} per group
 * message for all members. Wire-compatible with Baileys' lib/Signal/Group (checked by
 * {@code BaileysGroupCipherIT} in wa-simulator).
 *
 * <p>Stateless; the records it is given are not thread-safe, so callers confine each record to
 * one thread. A failed decryption leaves the record as it was.
 */
public final class GroupCipher {

  /** How far ahead of the chain a message may be, as Baileys allows. */
  static final int MAX_FUTURE = 2000;

  private GroupCipher() {}

  /**
   * The distribution message of our own sending key in {@code own}, creating the key (random
   * 31-bit id, random chain key at iteration 0, fresh signing key pair) when it is empty.
   */
  public static SenderKeyDistributionMessage distributionMessage(SenderKeyRecord own,
      SecureRandom random) {
    if (own.isEmpty()) {
      byte[] chainKey = new byte[32];
      random.nextBytes(chainKey);
      KeyPair signing = Curve25519.generateKeyPair();
      own.replace(new SenderKeyState(random.nextInt(Integer.MAX_VALUE),
          new SenderChainKey(0, chainKey), signing.publicKey(), signing.privateKey()));
    }
    SenderKeyState state = own.latest().orElseThrow();
    return new SenderKeyDistributionMessage(state.keyId(), state.chain().iteration(),
        state.chain().key(), state.signingPublic());
  }

  /** Learns a sender's key from its distribution message (one more state in {@code theirs}). */
  public static void process(SenderKeyRecord theirs, SenderKeyDistributionMessage message) {
    theirs.add(new SenderKeyState(message.keyId(),
        new SenderChainKey(message.iteration(), message.chainKey()), message.signingKey(), null));
  }

  /**
   * Encrypts an already padded {@code Message} with our sending key and advances the chain.
   *
   * @throws NoSessionException if {@code own} holds no sending key (no distribution message was
   *     created) or only a received one
   */
  public static byte[] encrypt(SenderKeyRecord own, byte[] paddedPlaintext)
      throws NoSessionException {
    SenderKeyState state = own.latest()
        .orElseThrow(() -> new NoSessionException("no sender key to encrypt with"));
    byte[] signingPrivate = state.signingPrivate();
    if (signingPrivate == null) {
      throw new NoSessionException("the sender key is someone else's");
    }
    SenderChainKey step = state.chain();
    byte[] ciphertext = AesCbc.encrypt(SenderChainKey.messageKeys(step.messageKeySeed()),
        paddedPlaintext);
    state.chain(step.next());
    return SenderKeyMessage.create(state.keyId(), step.iteration(), ciphertext, signingPrivate)
        .serialize();
  }

  /**
   * Decrypts an {@code skmsg} from the sender whose keys {@code theirs} holds; returns the padded
   * plaintext.
   *
   * @throws NoSessionException if no state has the message's key id (no distribution message)
   * @throws DuplicateMessageException if that iteration's key was used already
   * @throws InvalidMessageException if the message is malformed, its signature is bad, it is more
   *     than {@value #MAX_FUTURE} iterations ahead, or it does not decrypt
   */
  public static byte[] decrypt(SenderKeyRecord theirs, byte[] skmsg)
      throws NoSessionException, DuplicateMessageException, InvalidMessageException {
    SenderKeyMessage message = SenderKeyMessage.parse(skmsg);
    SenderKeyState state = theirs.state(message.keyId())
        .orElseThrow(() -> new NoSessionException("no sender key with id " + message.keyId()));
    message.verify(state.signingPublic());
    int iteration = message.iteration();
    SenderChainKey chain = state.chain();
    if (iteration < chain.iteration()) {
      byte[] seed = state.takeSkipped(iteration);
      if (seed == null) {
        throw new DuplicateMessageException("sender key iteration " + iteration + " used already");
      }
      try {
        return AesCbc.decrypt(SenderChainKey.messageKeys(seed), message.ciphertext());
      } catch (InvalidMessageException e) {
        state.addSkipped(iteration, seed);
        throw e;
      }
    }
    if (iteration - chain.iteration() > MAX_FUTURE) {
      throw new InvalidMessageException("sender key message over " + MAX_FUTURE
          + " iterations ahead");
    }
    List<SenderChainKey> passed = new ArrayList<>();
    SenderChainKey step = chain;
    while (step.iteration() < iteration) {
      passed.add(step);
      step = step.next();
    }
    byte[] plaintext = AesCbc.decrypt(SenderChainKey.messageKeys(step.messageKeySeed()),
        message.ciphertext());
    for (SenderChainKey skipped : passed) {
      state.addSkipped(skipped.iteration(), skipped.messageKeySeed());
    }
    state.chain(step.next());
    return plaintext;
  }
}
