package io.wafleet.client.signal;

/**
 * The {@link IdentityKeyStore} refused a remote identity key. WhatsApp and Baileys trust every
 * identity (protocol §10.6), so {@link InMemorySignalProtocolStore} never causes this; a stricter
 * store may. The caller drops the message or bundle.
 */
public final class UntrustedIdentityException extends Exception {

  private final SignalAddress address;
  private final byte[] identityKey;

  public UntrustedIdentityException(SignalAddress address, byte[] identityKey) {
    super("untrusted identity for " + address);
    this.address = address;
    this.identityKey = identityKey.clone();
  }

  public SignalAddress address() {
    return address;
  }

  /** The refused identity key, raw 32 bytes. */
  public byte[] identityKey() {
    return identityKey.clone();
  }
}
