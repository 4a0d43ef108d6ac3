package io.wafleet.client.transport;

import io.wafleet.client.proto.CertChain;
import io.wafleet.client.proto.CertChain.NoiseCertificate;

/**
 * Checks exactly what Baileys 7.0.0-rc.9 checks (§2.4): the intermediate certificate and its
 * details are present, and its details carry {@code issuerSerial} explicitly set to 0. No
 * signature, no leaf, no link to the server static key. This is the verifier to use against the
 * simulator, whose self-issued chain ({@link ServerCertificates#selfIssued}) can pass nothing
 * stricter; against the real servers prefer {@link RootKeyCertificateVerifier}. Stateless;
 * thread-safe.
 */
public final class BaileysCompatibleCertificateVerifier implements CertificateVerifier {

  @Override
  public void verify(CertChain chain, byte[] serverStaticKey) throws NoiseException {
    if (!chain.hasIntermediate()) {
      throw new NoiseException("certificate chain has no intermediate certificate");
    }
    NoiseCertificate intermediate = chain.getIntermediate();
    if (!intermediate.hasDetails()) {
      throw new NoiseException("intermediate certificate has no details");
    }
    CertificateChecks.requireRootIssued(CertificateChecks.details(intermediate, "intermediate"));
  }
}
