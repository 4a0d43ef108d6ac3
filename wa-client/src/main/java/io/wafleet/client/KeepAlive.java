package io.wafleet.client;

import io.wafleet.client.binary.Node;
import io.wafleet.client.event.KeepAliveTimeout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
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

  private final ConnectionContext ctx;

  KeepAlive(ConnectionContext ctx) {
    this.ctx = ctx;
  }

  void start() {
    ctx.scheduler().schedule(this::tick, ctx.config().keepAliveInterval());
  }

  private void tick() {
    if (ctx.state().isClosingOrClosed()) {
      return;
    }
    Duration interval = ctx.config().keepAliveInterval();
    Duration timeout = ctx.config().keepAliveTimeout();
    if (silence().compareTo(interval.plus(timeout)) > 0) {
      dead("nothing received");
      return;
    }
    Node ping = Node.of("iq", Node.attrsOf("to", WireProtocol.SERVER, "type", "get",
        "xmlns", "w:p"), List.of(Node.of("ping")));
    ctx.query(ping, timeout).whenComplete((reply, error) -> {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      if (cause instanceof IqTimeoutException) {
        dead("ping unanswered");
      }
    });
    ctx.scheduler().schedule(this::tick, interval);
  }

  private Duration silence() {
    return Duration.between(ctx.lastReceived(), ctx.config().clock().instant());
  }

  private void dead(String why) {
    if (ctx.state().isClosingOrClosed()) {
      return;
    }
    Instant last = ctx.lastReceived();
    Duration silent = silence();
    log.warn("keepalive timeout why={} silentMs={}", why, silent.toMillis());
    ctx.emit(new KeepAliveTimeout(last, silent));
    ctx.terminate(DisconnectReason.CONNECTION_LOST, DisconnectReason.CONNECTION_LOST.code(),
        "keepalive timeout: " + why + " for " + silent.toMillis() + " ms");
  }
}
