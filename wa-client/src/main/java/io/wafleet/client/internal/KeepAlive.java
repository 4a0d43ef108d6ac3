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
 * Application-level keepalive (§7.5), from the end of the handshake on: every
 * {@code keepAliveInterval} a {@code w:p} ping. The socket counts as dead, and the connection
 * closes with CONNECTION_LOST after a {@link KeepAliveTimeout} event, when a ping is unanswered
 * for {@code keepAliveTimeout} or when nothing at all arrived for interval + timeout. Inbound
 * thread only.
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
    scheduler.schedule(this::tick, config.keepAliveInterval());
  }

  private void tick() {
    if (lifecycle.state().isClosingOrClosed()) {
      return;
    }
    Duration interval = config.keepAliveInterval();
    Duration timeout = config.keepAliveTimeout();
    if (silence().compareTo(interval.plus(timeout)) > 0) {
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
    scheduler.schedule(this::tick, interval);
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
