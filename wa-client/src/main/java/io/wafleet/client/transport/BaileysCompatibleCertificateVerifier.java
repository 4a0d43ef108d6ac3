package io.wafleet.client.transport;

import io.wafleet.client.proto.CertChain;
import io.wafleet.client.proto.CertChain.NoiseCertificate;

/**
 * Checks exactly what Baileys 7.0.0-rc.9 checks (§2.4): the intermediate certificate and its
 * details are present, and its details carry {@code issuerSerial} explicitly set to 0. No
 * signature, no root key, no leaf, no link to the server static key.
 *
 * <p><b>Unsafe against the real service:</b> anyone can produce a chain that passes, so a client
 * using this verifier accepts a man in the middle. Never pass it to {@code WaClient} outside a
 * test; {@code WaClient} trusts WhatsApp's root by default ({@link RootKeyCertificateVerifier}),
 * and a simulator's root via {@link RootKeyCertificateVerifier#forRoot}. It is kept as the
 * executable statement of Baileys rc.9's rule: the transport tests use it to show that a chain
 * (the simulator's signed one included) is still one Baileys rc.9 accepts, and the in-memory
 * handshake tests and test vectors use it with the {@link ServerCertificates#selfIssued} chain.
 * Stateless; thread-safe.
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
