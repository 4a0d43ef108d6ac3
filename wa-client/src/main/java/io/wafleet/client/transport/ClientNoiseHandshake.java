package io.wafleet.client.transport;

import io.wafleet.client.auth.Credentials;
import io.wafleet.client.transport.CertificateVerifier;
import io.wafleet.client.transport.FrameWriter;
import io.wafleet.client.transport.NoiseException;
import io.wafleet.client.transport.NoiseHandshake;

/**
 * The client side of one Noise XX handshake (§1.2, §2): the intro plus ClientHello, then
 * ServerHello → ClientFinish carrying the ClientPayload (§3). Switches to transport mode before
 * ClientFinish leaves, so a server that answers at once loses nothing (§1.4, §13). Inbound thread
 * only.
 */
public final class ClientNoiseHandshake {

  private final FrameWriter writer;
  private final NoiseHandshake handshake;

  public ClientNoiseHandshake(Credentials credentials, CertificateVerifier verifier) {
    byte[] routingInfo = credentials.routingInfo();
    this.writer = routingInfo == null ? FrameWriter.client() : FrameWriter.client(routingInfo);
    this.handshake = NoiseHandshake.initiator(credentials.noiseKey(), verifier);
  }

  /** The first WebSocket message: intro and the ClientHello frame. */
  public byte[] helloMessage() {
    return writer.frame(handshake.writeClientHello());
  }

  /**
   * Reads the ServerHello, sends ClientFinish with the registration or login payload
   * {@code clientPayload} (§3), and returns the transport.
   *
   * @throws NoiseException if the ServerHello is malformed, fails decryption or its certificate
   */
  public NoiseSocket finish(byte[] serverHello, byte[] clientPayload, FrameSocket socket)
      throws NoiseException {
    if (handshake.step() != NoiseHandshake.Step.SERVER_HELLO) {
      throw new NoiseException("frame before the handshake started");
    }
    handshake.readServerHello(serverHello);
    byte[] finish = handshake.writeClientFinish(clientPayload);
    NoiseSocket transport = new NoiseSocket(socket, writer, handshake.split());
    socket.send(writer.frame(finish));
    return transport;
  }
}
