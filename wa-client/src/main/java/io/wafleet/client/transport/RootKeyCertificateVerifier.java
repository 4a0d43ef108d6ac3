package io.wafleet.client.transport;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hex;
import io.wafleet.client.proto.CertChain;
import io.wafleet.client.proto.CertChain.NoiseCertificate;
import io.wafleet.client.proto.CertChain.NoiseCertificate.Details;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Objects;

/**
 * The strict check, as whatsmeow (handshake.go {@code verifyServerCert}) does it: the
 * intermediate is signed (XEdDSA) by the root key and has issuerSerial 0; the leaf is signed by
 * the intermediate's key, names the intermediate's serial as issuer and carries the decrypted
 * server static key; both are within notBefore..notAfter. Baileys from 7.0.0-rc10 on checks the
 * two signatures against the same root key, too (noise-handler.ts).
 *
 * <p>{@link #whatsApp} trusts WhatsApp's root and is {@code WaClient}'s default. A simulator signs
 * its chain with a root of its own: trust it with {@link #forRoot} (its public key comes from the
 * simulator object or its admin API, see {@link #decodeRootKey}). Immutable; thread-safe.
 */
public final class RootKeyCertificateVerifier implements CertificateVerifier {

  /**
   * WhatsApp's root key, byte for byte as whatsmeow (handshake.go {@code WACertPubKey}) and
   * Baileys ≥ rc10 (Defaults {@code WA_CERT_DETAILS.PUBLIC_KEY}, issuer "WhatsAppLongTerm1") pin
   * it. [U]: not checked against the real servers by us (§2.4).
   */
  private static final String WHATSAPP_ROOT_KEY =
      "142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b";

  private final byte[] rootKey;
  private final Clock clock;

  public RootKeyCertificateVerifier(byte[] rootKey, Clock clock) {
    Objects.requireNonNull(rootKey, "rootKey == null");
    this.rootKey = Curve25519.withoutTypePrefix(rootKey);
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** The verifier for the real WhatsApp servers; validity windows are read from {@code clock}. */
  public static RootKeyCertificateVerifier whatsApp(Clock clock) {
    return new RootKeyCertificateVerifier(whatsAppRootKey(), clock);
  }

  /** {@link #whatsApp(Clock)} on the system clock. */
  public static RootKeyCertificateVerifier whatsApp() {
    return whatsApp(Clock.systemUTC());
  }

  /**
   * A verifier that trusts only {@code rootPublicKey} (32 bytes, or 33 with the 0x05 type
   * prefix), on the system clock: e.g. {@code forRoot(simulator.rootPublicKey())}.
   */
  public static RootKeyCertificateVerifier forRoot(byte[] rootPublicKey) {
    return new RootKeyCertificateVerifier(rootPublicKey, Clock.systemUTC());
  }

  /** WhatsApp's root public key (32 bytes, a fresh copy). */
  public static byte[] whatsAppRootKey() {
    return Hex.decode(WHATSAPP_ROOT_KEY);
  }

  /**
   * Decodes a root public key written as text, as a simulator's admin API ({@code GET /root-key})
   * and the {@code WAFLEET_WA_ROOT_KEY} setting give it: 64 hex digits, or standard base64 of the
   * 32 bytes (33 with the 0x05 type prefix). Surrounding whitespace is ignored.
   *
   * @throws IllegalArgumentException naming what is wrong; never echoes the input
   */
  public static byte[] decodeRootKey(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("root key is empty");
    }
    String trimmed = text.strip();
    byte[] key;
    if (trimmed.length() == 2 * TransportProtocol.KEY_LENGTH && trimmed.matches("[0-9a-fA-F]+")) {
      key = Hex.decode(trimmed.toLowerCase(java.util.Locale.ROOT));
    } else {
      try {
        key = java.util.Base64.getDecoder().decode(trimmed);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "root key is neither 64 hex digits nor base64 (" + trimmed.length() + " characters)");
      }
    }
    boolean prefixed = key.length == TransportProtocol.KEY_LENGTH + 1 && key[0] == 0x05;
    if (key.length != TransportProtocol.KEY_LENGTH && !prefixed) {
      throw new IllegalArgumentException(
          "root key has " + key.length + " bytes, expected 32 (or 33 with the 0x05 prefix)");
    }
    return Curve25519.withoutTypePrefix(key);
  }

  /** The trusted root public key (32 bytes, a fresh copy). */
  public byte[] rootKey() {
    return rootKey.clone();
  }

  @Override
  public void verify(CertChain chain, byte[] serverStaticKey) throws NoiseException {
    NoiseCertificate intermediate = CertificateChecks.present(chain, false);
    NoiseCertificate leaf = CertificateChecks.present(chain, true);
    requireSignature(rootKey, intermediate, "intermediate");
    Details intermediateDetails = CertificateChecks.details(intermediate, "intermediate");
    CertificateChecks.requireRootIssued(intermediateDetails);
    if (intermediateDetails.getKey().size() != TransportProtocol.KEY_LENGTH) {
      throw new NoiseException("intermediate certificate key has "
          + intermediateDetails.getKey().size() + " bytes, expected 32");
    }
    requireSignature(intermediateDetails.getKey().toByteArray(), leaf, "leaf");
    requireCurrent(intermediateDetails, "intermediate");
    Details leafDetails = CertificateChecks.details(leaf, "leaf");
    if (leafDetails.getIssuerSerial() != intermediateDetails.getSerial()) {
      throw new NoiseException("leaf certificate issuerSerial " + leafDetails.getIssuerSerial()
          + " != intermediate serial " + intermediateDetails.getSerial());
    }
    if (!MessageDigest.isEqual(leafDetails.getKey().toByteArray(), serverStaticKey)) {
      throw new NoiseException("leaf certificate key does not match the server static key");
    }
    requireCurrent(leafDetails, "leaf");
  }

  private static void requireSignature(byte[] signerKey, NoiseCertificate certificate, String name)
      throws NoiseException {
    byte[] signature = certificate.getSignature().toByteArray();
    if (signature.length != Curve25519.SIGNATURE_LENGTH) {
      throw new NoiseException(name + " certificate signature has " + signature.length
          + " bytes, expected 64");
    }
    if (!Curve25519.verify(signerKey, certificate.getDetails().toByteArray(), signature)) {
      throw new NoiseException(name + " certificate signature is invalid");
    }
  }

  private void requireCurrent(Details details, String name) throws NoiseException {
    long now = clock.instant().getEpochSecond();
    if (now < details.getNotBefore()) {
      throw new NoiseException(name + " certificate not valid before " + details.getNotBefore());
    }
    if (now > details.getNotAfter()) {
      throw new NoiseException(name + " certificate expired at " + details.getNotAfter());
    }
  }
}
