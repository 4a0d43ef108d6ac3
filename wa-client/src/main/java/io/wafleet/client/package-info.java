/**
 * wa-client's public API: {@link io.wafleet.client.WaClient} (built with
 * {@code WaClient.builder(authState).listener(l)...build()}), {@link io.wafleet.client.WaListener},
 * {@link io.wafleet.client.DisconnectReason}, {@link io.wafleet.client.ConnectionState},
 * {@link io.wafleet.client.Jid} and the {@link io.wafleet.client.WaException} hierarchy. Events
 * live in {@code io.wafleet.client.event}, persistence in {@code io.wafleet.client.auth}.
 *
 * <p>Threads: each connection has one inbound thread (every protocol step, in arrival order), one
 * event thread (the listener) and, unless a scheduler is injected, one timer thread. okhttp's
 * threads only hand bytes over. {@code connect()} returns at once; {@code close()} is quiet and
 * idempotent and ends those threads. The client never reconnects by itself.
 *
 * <p>Everything else in this package is package-private: {@code Connection} (lifecycle, the one
 * exit), {@code ConnectionIo} and {@code ClientHandshake} (wire and Noise), {@code FrameSocket}
 * and {@code NoiseSocket}, {@code NodeDispatcher} and {@code ServerStanzas} (the handler table),
 * {@code IqRequests}, {@code Pairing} and {@code PairingVerifier}, {@code Login},
 * {@code PreKeyUploader}, {@code KeepAlive}, {@code StateMachine}, {@code AuthStateSignalStore}.
 */
package io.wafleet.client;
