package io.wafleet.client.transport;

import io.wafleet.client.binary.Node;
import io.wafleet.client.binary.NodeDecoder;
import io.wafleet.client.binary.NodeEncoder;
import io.wafleet.client.transport.FrameWriter;
import io.wafleet.client.transport.NoiseException;
import io.wafleet.client.transport.TransportCipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes over the Noise transport (§2.3, §4): encode, encrypt, frame, send under one lock so the
 * nonce order is the send order; decrypt and decode on the inbound thread. Wire dumps go to TRACE
 * on {@code io.wafleet.client.wire.send}/{@code .recv}. Thread-safe for sending.
 */
public final class NoiseSocket {

  private static final Logger sendLog = LoggerFactory.getLogger("io.wafleet.client.wire.send");
  private static final Logger recvLog = LoggerFactory.getLogger("io.wafleet.client.wire.recv");

  private final FrameSocket socket;
  private final FrameWriter writer;
  private final TransportCipher cipher;

  NoiseSocket(FrameSocket socket, FrameWriter writer, TransportCipher cipher) {
    this.socket = socket;
    this.writer = writer;
    this.cipher = cipher;
  }

  /** Sends a node; false if the socket no longer accepts data. */
  public boolean send(Node node) {
    byte[] plaintext = NodeEncoder.encode(node);
    if (sendLog.isTraceEnabled()) {
      sendLog.trace("send {}", node);
    }
    synchronized (this) {
      return socket.send(writer.frame(cipher.encrypt(plaintext)));
    }
  }

  /**
   * Decrypts and decodes one inbound frame.
   *
   * @throws NoiseException if the frame fails authentication
   * @throws io.wafleet.client.binary.MalformedNodeException if the plaintext is not a node
   */
  public Node receive(byte[] frame) throws NoiseException {
    Node node = NodeDecoder.decode(cipher.decrypt(frame));
    if (recvLog.isTraceEnabled()) {
      recvLog.trace("recv {}", node);
    }
    return node;
  }
}
