package io.wafleet.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.wafleet.client.proto.CertChain;

/** A client and a server handshake with fixed keys, driven in memory. */
final class HandshakePair {

  final NoiseHandshake client;
  final NoiseHandshake server;
  final byte[] certPayload;

  HandshakePair() {
    this(new BaileysCompatibleCertificateVerifier());
  }

  HandshakePair(CertificateVerifier verifier) {
    this(verifier, ServerCertificates.selfIssued(TestKeys.SERVER_STATIC));
  }

  HandshakePair(CertificateVerifier verifier, CertChain chain) {
    client = NoiseHandshake.initiator(TestKeys.CLIENT_STATIC, verifier, TestKeys.CLIENT_EPHEMERAL);
    server = NoiseHandshake.responder(TestKeys.SERVER_STATIC, TestKeys.SERVER_EPHEMERAL);
    certPayload = chain.toByteArray();
  }

  /** Runs ClientHello and ServerHello up to the client's read; returns the ServerHello frame. */
  byte[] upToServerHello() throws NoiseException {
    server.readClientHello(client.writeClientHello());
    return server.writeServerHello(certPayload);
  }

  /** Runs all three messages; returns the two transport ciphers, client first. */
  TransportCipher[] complete(byte[] clientPayload) throws NoiseException {
    client.readServerHello(upToServerHello());
    server.readClientFinish(client.writeClientFinish(clientPayload));
    assertArrayEquals(client.handshakeHash(), server.handshakeHash());
    return new TransportCipher[] {client.split(), server.split()};
  }
}
