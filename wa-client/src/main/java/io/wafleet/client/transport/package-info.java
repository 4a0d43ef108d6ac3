/**
 * The WhatsApp Web transport below the binary nodes: 3-byte length framing with the intro header
 * ({@link io.wafleet.client.transport.FrameWriter}, {@link io.wafleet.client.transport.FrameReader}),
 * the Noise XX handshake for client and server ({@link io.wafleet.client.transport.NoiseHandshake})
 * and the per-direction AES-GCM transport cipher ({@link io.wafleet.client.transport.TransportCipher}),
 * as docs/protocol.md §1–§2 describes. Public only so that wa-simulator can reuse the
 * server side; connector-service never imports it. No WebSocket code lives here.
 */
package io.wafleet.client.transport;
