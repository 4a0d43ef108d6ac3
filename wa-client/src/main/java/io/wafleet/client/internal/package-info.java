/**
 * Not API: wa-client's implementation, public only where another wa-client package needs it.
 * Nothing outside wa-client may import it; it changes without notice.
 *
 * <p>One connection ({@code ClientConnection}) is assembled from small parts, each given only what
 * it uses: {@code ConnectionLifecycle} (the {@code ConnectionStateMachine}, the connect deadline
 * and the single exit, which releases everything and emits the one terminal event),
 * {@code InboundThread} (every protocol step, in arrival order; a step that throws closes the
 * connection), {@code EventSink} (the listener's thread), {@code Timers} (timers that fire on the
 * inbound thread), {@code NodeTransport} (socket, Noise handshake, decryption and dispatch; the
 * {@code NodeChannel} the flows send and query through), {@code DeviceAuth} (credentials and keys;
 * a change is stored and announced). The flows: {@code ServerStanzas} (the handler table for what
 * the server sends on its own), {@code Pairing} with {@code PairingVerifier} and
 * {@code PairingQrFormat}, {@code Login} with {@code PreKeyUploader}, {@code KeepAlive};
 * messaging lives in {@code io.wafleet.client.internal.messaging}.
 *
 * <p>Threads: everything here runs on the connection's inbound thread, except where a class says
 * otherwise (sending, the state machine and the client's entry points are thread-safe).
 */
package io.wafleet.client.internal;
