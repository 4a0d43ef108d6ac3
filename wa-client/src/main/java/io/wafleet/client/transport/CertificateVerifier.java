package io.wafleet.client.transport;

import io.wafleet.client.proto.CertChain;

/**
 * Decides whether the certificate chain in a ServerHello vouches for the server (§2.4, §13).
 * {@link RootKeyCertificateVerifier#whatsApp()} is the default; a simulator's chain passes
 * {@link RootKeyCertificateVerifier#forRoot} with the simulator's root key. Whatever an
 * implementation throws fails the handshake with an {@link UntrustedServerException} before the
 * client sends its payload. Implementations must be thread-safe.
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
