package io.wafleet.client.transport;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * Turns payloads into length-prefixed frames (§1.3). A client writer puts the intro header, or its
 * routing-info form, before the first frame only (§1.2); a server writer never does. The result of
 * {@link #frame} is one WebSocket message.
 *
 * <p>Thread-safe: {@link #frame} is synchronized, so the intro is written exactly once. Frames must
 * still reach the socket in the order {@link #frame} produced them (hold one lock across
 * encrypt, frame and send).
 */
public final class FrameWriter {

  private final byte[] intro;
  private boolean introWritten;

  private FrameWriter(byte[] intro) {
    this.intro = intro;
    this.introWritten = intro.length == 0;
  }

  /** A client writer with the plain {@code 57 41 06 03} intro. */
  public static FrameWriter client() {
    return new FrameWriter(TransportProtocol.introHeader());
  }

  /**
   * A client writer with the routing-info intro {@code 45 44 00 01 | len(3) | routingInfo |
   * 57 41 06 03} (§1.2); an empty routing info means the plain intro.
   */
  public static FrameWriter client(byte[] routingInfo) {
    Objects.requireNonNull(routingInfo, "routingInfo == null");
    if (routingInfo.length == 0) {
      return client();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(TransportProtocol.routingPrefix());
    writeLength(out, routingInfo.length);
    out.writeBytes(routingInfo);
    out.writeBytes(TransportProtocol.introHeader());
    return new FrameWriter(out.toByteArray());
  }

  /** A server writer: the server sends no intro (§1.2). */
  public static FrameWriter server() {
    return new FrameWriter(new byte[0]);
  }

  /**
   * One frame, with the intro in front if this is a client writer's first call.
   *
   * @throws IllegalArgumentException if the payload is empty (Baileys stops reading at a
   *     zero length, §1.3) or longer than {@link TransportProtocol#MAX_FRAME_LENGTH}
   */
  public synchronized byte[] frame(byte[] payload) {
    Objects.requireNonNull(payload, "payload == null");
    if (payload.length == 0) {
      throw new IllegalArgumentException("payload is empty; zero-length frames are forbidden");
    }
    if (payload.length > TransportProtocol.MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException("payload length " + payload.length + " > 16777215");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(
        payload.length + TransportProtocol.FRAME_LENGTH_BYTES + (introWritten ? 0 : intro.length));
    if (!introWritten) {
      out.writeBytes(intro);
      introWritten = true;
    }
    writeLength(out, payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static void writeLength(ByteArrayOutputStream out, int length) {
    if (length > TransportProtocol.MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException("length " + length + " > 16777215");
    }
    out.write(length >>> 16);
    out.write(length >>> 8);
    out.write(length);
  }
}
