/**
 * The simulator's WebSocket side: one {@link io.wafleet.simulator.server.Connection} per client
 * socket, its handshake, admission and stanza handlers.
 *
 * <h2>Threads and locks</h2>
 *
 * <p>Who owns what:
 * <ul>
 *   <li><b>Java-WebSocket's selector thread</b> ({@code WebSocketSelector-N}, one per server) does
 *       all socket I/O and calls {@code onOpen}/{@code onClose}/{@code onError} while holding the
 *       library's {@code WebSocketImpl} monitor. Its <b>decoder threads</b>
 *       ({@code WebSocketWorker-N}) call {@code onMessage}. {@link
 *       io.wafleet.simulator.server.WsServer} only hands these events to the connection: it copies
 *       the bytes and queues a task. It takes no lock of ours and never blocks, so the selector and
 *       the decoders (and the read buffers they hold) are always free for every other socket.</li>
 *   <li><b>The connection's serial executor</b> ({@code SerialExecutor} over the shared
 *       {@code wa-simulator-conn-N} pool, at most one pool thread per connection at a time; the
 *       pool has no fixed size, so a connection whose handler is slow or stuck holds only its own
 *       thread and never keeps another connection's work waiting) owns the connection's state, its
 *       token dictionary (chosen from the intro), its Noise ciphers, its handler and the
 *       {@code Wire}: inbound frames, the close callback, faults, gate opening and every write run
 *       there, in submission order.
 *       {@code Connection.send}, {@code sendAndClose}, {@code drop}, {@code stall} and {@code fail}
 *       may be called from any thread (the relay, the phones' thread, the admin HTTP threads,
 *       another connection's executor): they only queue work and return at once.</li>
 *   <li><b>The scheduler</b> ({@code wa-simulator-scheduler}) only times the §1.4 gate; when it
 *       fires it queues the gate opening on the connection's executor.</li>
 * </ul>
 *
 * <p>The rule that keeps this deadlock-free: <b>no lock of ours is held while calling into
 * Java-WebSocket</b> ({@code send}, {@code close}, {@code closeConnection} may block on the
 * library's {@code WebSocketImpl} monitor, which its selector holds while calling us back), and
 * <b>no lock of ours is taken on a library thread</b>. Calls into the library happen only in tasks
 * of a connection's serial executor, which run with no lock held. Our own locks (the relay's
 * monitor, the phone book's per-phone locks) guard only our own data and may be held while calling
 * {@code Connection.send} and the other queueing methods above, because those never block.
 *
 * <p>Which calls may block: only the library calls in a connection's executor tasks, and only
 * briefly (until the selector returns from a callback, which never waits for us).
 */
package io.wafleet.simulator.server;
