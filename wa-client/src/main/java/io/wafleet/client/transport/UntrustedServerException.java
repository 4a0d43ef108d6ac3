package io.wafleet.client.transport;

/**
 * The server's Noise certificate chain was rejected by the client's {@link CertificateVerifier}
 * (§2.4): it is not signed by the root key the client trusts, names another static key, is
 * expired, or is malformed. Either someone is in the middle, or the client trusts the wrong root
 * (e.g. WhatsApp's root against a simulator). The handshake stops before the client sends its
 * login or registration payload. Immutable; thread-safe.
 */
public final class UntrustedServerException extends NoiseException {

  private static final long serialVersionUID = 1L;

  public UntrustedServerException(String message, Throwable cause) {
    super("server certificate rejected: " + message, cause);
  }
}
