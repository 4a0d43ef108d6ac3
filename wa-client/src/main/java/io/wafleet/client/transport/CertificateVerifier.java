package io.wafleet.client.transport;

import io.wafleet.client.proto.CertChain;

/**
 * Decides whether the certificate chain in a ServerHello vouches for the server (§2.4, §13).
 * Pluggable because the strict check against WhatsApp's root key can never pass against the
 * simulator: use {@link BaileysCompatibleCertificateVerifier} for the simulator (it checks what
 * Baileys checks), {@link RootKeyCertificateVerifier} for a signed chain. Implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface CertificateVerifier {

  /**
   * @param chain the decrypted ServerHello payload
   * @param serverStaticKey the decrypted 32-byte server static key
   * @throws NoiseException naming the failed check; the handshake then fails
   */
  void verify(CertChain chain, byte[] serverStaticKey) throws NoiseException;
}
