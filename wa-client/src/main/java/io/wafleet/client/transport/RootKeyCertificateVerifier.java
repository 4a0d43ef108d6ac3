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
 * two signatures against the same root key, too.
 *
 * <p>Switchable by design (§2.4, §13): the simulator can pass only when the client is built with
 * the simulator's root key, see {@link ServerCertificates#signed}. Immutable; thread-safe.
 */
public final class RootKeyCertificateVerifier implements CertificateVerifier {

  /**
   * WhatsApp's root key as whatsmeow ({@code WACertPubKey}) and Baileys ≥ rc10
   * ({@code WA_CERT_DETAILS.PUBLIC_KEY}) pin it. [U]: not checked against the real servers (§2.4).
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

  /** The verifier for the real WhatsApp servers. */
  public static RootKeyCertificateVerifier whatsApp(Clock clock) {
    return new RootKeyCertificateVerifier(Hex.decode(WHATSAPP_ROOT_KEY), clock);
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
