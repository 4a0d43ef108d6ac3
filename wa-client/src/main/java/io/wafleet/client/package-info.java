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
 * <p>Threads: a connection owns one thread only, okhttp's socket reader, which hands every frame
 * over at once. Its protocol steps run on its inbound executor (every step, one at a time, in
 * arrival order) and its listener calls on its event executor (one at a time, in event order):
 * both are serial executors over a shared worker pool ({@code WaClient.Builder#executor}, default
 * one process-wide pool of daemon {@code wa-worker-N} threads, one per core). Timers fire on a
 * shared scheduler (default one daemon {@code wa-timer} thread) and only hand their task to the
 * inbound executor. The default okhttp client is process-wide too: no limit on concurrent
 * WebSockets (okhttp's own default stops at 64), daemon {@code wa-socket-N} threads that end
 * shortly after their socket. {@code connect()} returns at once; {@code close()} is quiet and
 * idempotent and releases everything the connection holds; it never shuts down what the caller
 * passed in. The client never reconnects by itself.
 */
package io.wafleet.client;
