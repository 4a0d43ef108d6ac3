/**
 * wa-client's public API: {@link io.wafleet.client.WaClient} (built with
 * {@code WaClient.builder(authState).listener(l)...build()}, its settings in
 * {@link io.wafleet.client.ClientConfig}), {@link io.wafleet.client.WaListener},
 * {@link io.wafleet.client.ConnectionState}, {@link io.wafleet.client.SendResult} and the
 * {@link io.wafleet.client.WaException} hierarchy. The rest of the API lives in sub-packages:
 * value types ({@code Jid}, {@code MessageId}, {@code DisconnectReason}) in
 * {@code io.wafleet.client.model}, events in {@code io.wafleet.client.event}, received messages
 * in {@code io.wafleet.client.message}, persistence in {@code io.wafleet.client.auth}.
 * {@code io.wafleet.client.internal} and its sub-packages are not API.
 *
 * <p>Threads: each connection has one inbound thread (every protocol step, in arrival order), one
 * event thread (the listener) and, unless a scheduler is injected, one timer thread. okhttp's
 * threads only hand bytes over. {@code connect()} returns at once; {@code close()} is quiet and
 * idempotent and ends those threads. The client never reconnects by itself.
 */
package io.wafleet.client;
