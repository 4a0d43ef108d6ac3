package io.wafleet.client.signal;

import io.wafleet.client.crypto.KeyPair;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SignalProtocolStore} in memory, for tests, the simulator and as the reference for
 * persistent stores. Records are kept in serialized form, so every load is a copy. Trusts every
 * identity, as WhatsApp and Baileys do (§10.6), and logs when one changes. Thread-safe.
 */
public final class InMemorySignalProtocolStore implements SignalProtocolStore {

  private static final Logger log = LoggerFactory.getLogger(InMemorySignalProtocolStore.class);

  private final KeyPair identityKeyPair;
  private final int registrationId;
  private final Map<SignalAddress, byte[]> identities = new ConcurrentHashMap<>();
  private final Map<Integer, byte[]> preKeys = new ConcurrentHashMap<>();
  private final Map<Integer, byte[]> signedPreKeys = new ConcurrentHashMap<>();
  private final Map<SignalAddress, byte[]> sessions = new ConcurrentHashMap<>();

  public InMemorySignalProtocolStore(KeyPair identityKeyPair, int registrationId) {
    this.identityKeyPair = Objects.requireNonNull(identityKeyPair, "identityKeyPair == null");
    if (registrationId < 0 || registrationId > 0x3FFF) {
      throw new IllegalArgumentException("registrationId out of range: " + registrationId);
    }
    this.registrationId = registrationId;
  }

  @Override
  public KeyPair identityKeyPair() {
    return identityKeyPair;
  }

  @Override
  public int localRegistrationId() {
    return registrationId;
  }

  @Override
  public boolean saveIdentity(SignalAddress address, byte[] identityKey) {
    byte[] previous = identities.put(address, identityKey.clone());
    boolean changed = previous != null && !Arrays.equals(previous, identityKey);
    if (changed) {
      log.info("remote identity changed deviceId={}", address.deviceId());
    }
    return changed;
  }

  @Override
  public boolean isTrustedIdentity(SignalAddress address, byte[] identityKey) {
    return true;
  }

  @Override
  public Optional<byte[]> loadIdentity(SignalAddress address) {
    return Optional.ofNullable(identities.get(address)).map(byte[]::clone);
  }

  @Override
  public Optional<PreKeyRecord> loadPreKey(int preKeyId) {
    byte[] bytes = preKeys.get(preKeyId);
    return bytes == null ? Optional.empty() : Optional.of(parse(() -> new PreKeyRecord(bytes)));
  }

  @Override
  public void storePreKey(PreKeyRecord record) {
    preKeys.put(record.id(), record.serialize());
  }

  @Override
  public boolean containsPreKey(int preKeyId) {
    return preKeys.containsKey(preKeyId);
  }

  @Override
  public void deletePreKey(int preKeyId) {
    preKeys.remove(preKeyId);
  }

  @Override
  public Optional<SignedPreKeyRecord> loadSignedPreKey(int signedPreKeyId) {
    byte[] bytes = signedPreKeys.get(signedPreKeyId);
    return bytes == null
        ? Optional.empty()
        : Optional.of(parse(() -> new SignedPreKeyRecord(bytes)));
  }

  @Override
  public void storeSignedPreKey(SignedPreKeyRecord record) {
    signedPreKeys.put(record.id(), record.serialize());
  }

  @Override
  public boolean containsSignedPreKey(int signedPreKeyId) {
    return signedPreKeys.containsKey(signedPreKeyId);
  }

  @Override
  public void deleteSignedPreKey(int signedPreKeyId) {
    signedPreKeys.remove(signedPreKeyId);
  }

  @Override
  public SessionRecord loadSession(SignalAddress address) {
    byte[] bytes = sessions.get(address);
    return bytes == null ? new SessionRecord() : parse(() -> new SessionRecord(bytes));
  }

  @Override
  public void storeSession(SignalAddress address, SessionRecord record) {
    sessions.put(address, record.serialize());
  }

  @Override
  public boolean containsSession(SignalAddress address) {
    return sessions.containsKey(address) && loadSession(address).hasCurrentState();
  }

  @Override
  public void deleteSession(SignalAddress address) {
    sessions.remove(address);
  }

  private interface Parser<T> {
    T parse() throws InvalidMessageException;
  }

  /** Our own serialized bytes failing to parse is a bug, not an absent record. */
  private static <T> T parse(Parser<T> parser) {
    try {
      return parser.parse();
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("stored record does not parse", e);
    }
  }
}
