package io.wafleet.client.internal;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.ConnectionState;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.Connected;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.model.Jid;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After {@code <success>} on a login connection (§7.1, §7.2): stores the LID, tops up pre-keys,
 * marks the connection active, checks the key digest, then moves to OPEN and emits
 * {@link Connected}. A failed post-login query is logged and skipped, as Baileys does; a closed
 * connection stops the sequence. The whole sequence has its own deadline ({@code loginTimeout}):
 * a login whose queries get no answer in time ends with Disconnected TIMED_OUT instead of sitting
 * in LOGGING_IN. Inbound thread only.
 */
final class Login {

  private static final Logger log = LoggerFactory.getLogger(Login.class);

  private final ClientConfig config;
  private final NodeChannel channel;
  private final DeviceAuth auth;
  private final EventEmitter events;
  private final ConnectionLifecycle lifecycle;
  private final PreKeyUploader preKeys;
  private final TaskScheduler scheduler;
  private TaskScheduler.Cancellable deadline;

  Login(ClientConfig config, NodeChannel channel, DeviceAuth auth, EventEmitter events,
      ConnectionLifecycle lifecycle, PreKeyUploader preKeys, TaskScheduler scheduler) {
    this.config = config;
    this.channel = channel;
    this.auth = auth;
    this.events = events;
    this.lifecycle = lifecycle;
    this.preKeys = preKeys;
    this.scheduler = scheduler;
  }

  void onSuccess(Node success) {
    if (!lifecycle.state().is(ConnectionState.LOGGING_IN)) {
      lifecycle.terminate(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(),
          "success on a registration connection");
      return;
    }
    lifecycle.connectStageDone();
    armDeadline(config.loginTimeout());
    storeLid(success.attr("lid"));
    preKeys.topUp()
        .handle((uploaded, error) -> logSkipped("pre-key upload", error))
        .thenCompose(ignored -> step("passive", "set", "active"))
        .thenCompose(ignored -> step("encrypt", "get", "digest"))
        .thenRun(this::open);
  }

  private void armDeadline(Duration timeout) {
    deadline = scheduler.schedule(() -> {
      if (lifecycle.state().is(ConnectionState.LOGGING_IN)) {
        log.warn("login gave up timeoutMs={} state={}", timeout.toMillis(), lifecycle.state().current());
        lifecycle.terminate(DisconnectReason.TIMED_OUT, DisconnectReason.TIMED_OUT.code(),
            "login got no answer within " + timeout.toMillis() + " ms after success");
      }
    }, timeout);
  }

  private void storeLid(String lidAttr) {
    Jid lid = lidAttr == null ? null : Jid.tryParse(lidAttr);
    Credentials creds = auth.credentials();
    if (lid != null && !Objects.equals(lid, creds.lid())) {
      auth.updateCredentials(creds.toBuilder().lid(lid).build());
    }
  }

  private CompletableFuture<Void> step(String xmlns, String type, String child) {
    if (lifecycle.state().isClosingOrClosed()) {
      return CompletableFuture.completedFuture(null);
    }
    Node iq = Node.of("iq", Node.attrsOf("xmlns", xmlns, "type", type, "to", WireProtocol.SERVER),
        List.of(Node.of(child)));
    return channel.query(iq, config.queryTimeout())
        .handle((reply, error) -> logSkipped(xmlns + "/" + child, error));
  }

  private Void logSkipped(String step, Throwable error) {
    if (error != null && !lifecycle.state().isClosingOrClosed()) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      log.warn("post-login step failed step={} error={}", step, cause.toString());
    }
    return null;
  }

  private void open() {
    if (deadline != null) {
      deadline.cancel();
    }
    if (!lifecycle.state().tryMoveTo(ConnectionState.OPEN)) {
      return;
    }
    Credentials creds = auth.credentials();
    log.info("connected me={}", creds.me().masked());
    events.emit(new Connected(creds.me(), creds.lid()));
  }
}
