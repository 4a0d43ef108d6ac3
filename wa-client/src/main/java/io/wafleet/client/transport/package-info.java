/**
 * The WhatsApp Web transport below the binary nodes: 3-byte length framing with the intro header
 * ({@link io.wafleet.client.transport.FrameWriter}, {@link io.wafleet.client.transport.FrameReader}),
 * the Noise XX handshake for client and server ({@link io.wafleet.client.transport.NoiseHandshake})
 * and the per-direction AES-GCM transport cipher ({@link io.wafleet.client.transport.TransportCipher}),
 * as docs/protocol.md §1–§2 describes, and the client's socket: {@link io.wafleet.client.transport.FrameSocket}
 * (the okhttp WebSocket, whose callbacks go to the connection's inbound thread),
 * {@link io.wafleet.client.transport.ClientNoiseHandshake} (the client side of one handshake) and
 * {@link io.wafleet.client.transport.NoiseSocket} (encrypted nodes after it). Public so that
 * wa-client's internals and wa-simulator's server side can use it; not API for applications.
 */
package io.wafleet.client.transport;
