package io.wafleet.client.internal;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.IqTimeoutException;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.KeepAliveTimeout;
import io.wafleet.client.model.DisconnectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application-level keepalive (§7.5), from the end of the handshake on: a {@code w:p} ping after a
 * wait drawn anew for every ping, uniformly between {@code keepAliveIntervalMin} and
 * {@code keepAliveIntervalMax}, with the injected random. whatsmeow does the same (keepalive.go:
 * {@code KeepAliveIntervalMin} 20 s, {@code KeepAliveIntervalMax} 30 s, a random wait between them
 * per ping). For a fleet it matters: connections restored together would otherwise ping in the
 * same instant for ever, and okhttp 4.12 runs every WebSocket write as a task on its process-wide
 * TaskRunner, whose pool starts another thread whenever a write is ready while its threads are
 * busy (or one is still starting: fixed only in okhttp 5, square/okhttp#8391) and keeps each idle
 * thread 60 s, so simultaneous pings every 30 s keep a thread per concurrent write alive.
 *
 * <p>The socket counts as dead, and the connection closes with CONNECTION_LOST after a
 * {@link KeepAliveTimeout} event, when a ping is unanswered for {@code keepAliveTimeout} or when,
 * at a tick, nothing at all arrived for longer than the wait that tick ended plus the timeout (the
 * previous ping left that long ago, so a live server has answered since). Inbound thread only.
 */
final class KeepAlive {

  private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

  private final ClientConfig config;
  private final NodeChannel channel;
  private final EventEmitter events;
  private final TaskScheduler scheduler;
  private final ConnectionLifecycle lifecycle;
  private final Supplier<Instant> lastReceived;

  KeepAlive(ClientConfig config, NodeChannel channel, EventEmitter events, TaskScheduler scheduler,
      ConnectionLifecycle lifecycle, Supplier<Instant> lastReceived) {
    this.config = config;
    this.channel = channel;
    this.events = events;
    this.scheduler = scheduler;
    this.lifecycle = lifecycle;
    this.lastReceived = lastReceived;
  }

  void start() {
    scheduleNext();
  }

  private void scheduleNext() {
    Duration wait = nextWait();
    scheduler.schedule(() -> tick(wait), wait);
  }

  /** Uniform in [min, max], both included; min when they are equal. */
  private Duration nextWait() {
    long min = config.keepAliveIntervalMin().toNanos();
    long span = config.keepAliveIntervalMax().toNanos() - min;
    return Duration.ofNanos(span <= 0 ? min : min + config.random().nextLong(span + 1));
  }

  private void tick(Duration waited) {
    if (lifecycle.state().isClosingOrClosed()) {
      return;
    }
    Duration timeout = config.keepAliveTimeout();
    if (silence().compareTo(waited.plus(timeout)) > 0) {
      dead("nothing received");
      return;
    }
    Node ping = Node.of("iq", Node.attrsOf("to", WireProtocol.SERVER, "type", "get",
        "xmlns", "w:p"), List.of(Node.of("ping")));
    channel.query(ping, timeout).whenComplete((reply, error) -> {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      if (cause instanceof IqTimeoutException) {
        dead("ping unanswered");
      }
    });
    scheduleNext();
  }

  private Duration silence() {
    return Duration.between(lastReceived.get(), config.clock().instant());
  }

  private void dead(String why) {
    if (lifecycle.state().isClosingOrClosed()) {
      return;
    }
    Instant last = lastReceived.get();
    Duration silent = silence();
    log.warn("keepalive timeout why={} silentMs={}", why, silent.toMillis());
    events.emit(new KeepAliveTimeout(last, silent));
    lifecycle.terminate(DisconnectReason.CONNECTION_LOST, DisconnectReason.CONNECTION_LOST.code(),
        "keepalive timeout: " + why + " for " + silent.toMillis() + " ms");
  }
}
