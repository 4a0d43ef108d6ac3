package io.wafleet.simulator.server;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.transport.ServerCertificates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The simulator's side of the Noise handshake (§2.4): its static key pair and the certificate
 * chain for it, signed like WhatsApp's — a root key signs an intermediate, the intermediate signs
 * the leaf that carries the static key. The root is this simulator's own test root, generated at
 * start; its private half never leaves this object, so only clients told to trust
 * {@link #rootPublicKey()} accept the chain. The chain still carries an explicit issuerSerial 0,
 * which is all Baileys 7.0.0-rc.9 checks. Immutable; thread-safe.
 */
public final class NoiseIdentity {

  /** Wide, so that a test clock set back or forward by months still lies inside. */
  private static final Duration VALID_BEFORE = Duration.ofDays(365);
  private static final Duration VALID_AFTER = Duration.ofDays(10 * 365);

  private final KeyPair serverStatic;
  private final byte[] rootPublicKey;
  private final byte[] certChain;

  private NoiseIdentity(KeyPair serverStatic, byte[] rootPublicKey, byte[] certChain) {
    this.serverStatic = serverStatic;
    this.rootPublicKey = rootPublicKey;
    this.certChain = certChain;
  }

  /** Fresh root, intermediate and static keys; the chain is valid around {@code clock}'s now. */
  public static NoiseIdentity generate(Clock clock) {
    KeyPair root = Curve25519.generateKeyPair();
    KeyPair intermediate = Curve25519.generateKeyPair();
    KeyPair serverStatic = Curve25519.generateKeyPair();
    Instant now = clock.instant();
    byte[] chain = ServerCertificates.signed(root, intermediate, serverStatic,
        now.minus(VALID_BEFORE), now.plus(VALID_AFTER)).toByteArray();
    return new NoiseIdentity(serverStatic, root.publicKey(), chain);
  }

  public KeyPair serverStatic() {
    return serverStatic;
  }

  /** The 32-byte public key of the root that signed the chain (a fresh copy). */
  public byte[] rootPublicKey() {
    return rootPublicKey.clone();
  }

  /** The serialized {@code CertChain} for the ServerHello payload (a fresh copy). */
  public byte[] certChain() {
    return certChain.clone();
  }
}
