package io.wafleet.client.transport;

import io.wafleet.client.proto.CertChain;
import java.util.Objects;

/**
 * What the client learned from a ServerHello (§2.2 step 3): the server's static key and its
 * certificate chain, already accepted by the handshake's {@link CertificateVerifier}.
 * Immutable; thread-safe.
 */
public record ServerIdentity(byte[] staticKey, CertChain certChain) {

  public ServerIdentity {
    Objects.requireNonNull(staticKey, "staticKey == null");
    Objects.requireNonNull(certChain, "certChain == null");
    staticKey = staticKey.clone();
  }

  @Override
  public byte[] staticKey() {
    return staticKey.clone();
  }
}
