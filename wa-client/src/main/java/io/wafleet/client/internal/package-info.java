/**
 * Not API: wa-client's implementation, public only where another wa-client package needs it.
 * Nothing outside wa-client may import it; it changes without notice.
 *
 * <p>One connection ({@code ClientConnection}) is assembled from small parts, each given only what
 * it uses: {@code ConnectionLifecycle} (the {@code ConnectionStateMachine}, the connect deadline
 * and the single exit, which releases everything and emits the one terminal event),
 * {@code InboundThread} (the connection's inbound executor: every protocol step, one at a time, in
 * arrival order; a step that throws closes the connection), {@code EventSink} (the listener's
 * executor), both {@code SerialExecutor}s over the shared worker pool, {@code Timers} (timers on a
 * shared scheduler that fire on the inbound executor), {@code SharedResources} (the process-wide
 * defaults: okhttp client, worker pool, scheduler), {@code NodeTransport} (socket, Noise handshake, decryption and dispatch; the
 * {@code NodeChannel} the flows send and query through), {@code DeviceAuth} (credentials and keys;
 * a change is stored and announced). The flows: {@code ServerStanzas} (the handler table for what
 * the server sends on its own), {@code Pairing} with {@code PairingVerifier} and
 * {@code PairingQrFormat}, {@code Login} with {@code PreKeyUploader}, {@code KeepAlive};
 * messaging lives in {@code io.wafleet.client.internal.messaging}.
 *
 * <p>Threads: everything here runs on the connection's inbound executor ("the inbound
 * thread": a shared worker, but never two steps of one connection at once, and each step sees
 * what the previous one did), except where a class says
 * otherwise (sending, the state machine and the client's entry points are thread-safe).
 */
package io.wafleet.client.internal;
