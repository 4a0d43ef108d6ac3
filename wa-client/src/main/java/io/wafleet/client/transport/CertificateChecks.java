package io.wafleet.client.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.proto.CertChain;
import io.wafleet.client.proto.CertChain.NoiseCertificate;
import io.wafleet.client.proto.CertChain.NoiseCertificate.Details;

/** Checks shared by the certificate verifiers. Stateless; thread-safe. */
final class CertificateChecks {

  private CertificateChecks() {}

  /** The certificate, which must be present with its details and signature fields. */
  static NoiseCertificate present(CertChain chain, boolean leaf) throws NoiseException {
    String name = leaf ? "leaf" : "intermediate";
    if (leaf ? !chain.hasLeaf() : !chain.hasIntermediate()) {
      throw new NoiseException("certificate chain has no " + name + " certificate");
    }
    NoiseCertificate certificate = leaf ? chain.getLeaf() : chain.getIntermediate();
    if (!certificate.hasDetails()) {
      throw new NoiseException(name + " certificate has no details");
    }
    if (!certificate.hasSignature()) {
      throw new NoiseException(name + " certificate has no signature");
    }
    return certificate;
  }

  static Details details(NoiseCertificate certificate, String name) throws NoiseException {
    try {
      return Details.parseFrom(certificate.getDetails());
    } catch (InvalidProtocolBufferException e) {
      throw new NoiseException(name + " certificate details are malformed", e);
    }
  }

  /** §2.4: issuerSerial must be present and 0; an absent field fails, as it does in Baileys. */
  static void requireRootIssued(Details intermediate) throws NoiseException {
    if (!intermediate.hasIssuerSerial()) {
      throw new NoiseException("intermediate certificate has no issuerSerial (expected explicit "
          + TransportProtocol.CERT_ISSUER_SERIAL + ")");
    }
    if (intermediate.getIssuerSerial() != TransportProtocol.CERT_ISSUER_SERIAL) {
      throw new NoiseException("intermediate certificate issuerSerial "
          + Integer.toUnsignedString(intermediate.getIssuerSerial()) + " != "
          + TransportProtocol.CERT_ISSUER_SERIAL);
    }
  }
}
