package io.wafleet.client;

import io.wafleet.client.auth.Credentials;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.Connected;
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

  private final ConnectionContext ctx;
  private final PreKeyUploader preKeys;
  private TaskScheduler.Cancellable deadline;

  Login(ConnectionContext ctx, PreKeyUploader preKeys) {
    this.ctx = ctx;
    this.preKeys = preKeys;
  }

  void onSuccess(Node success) {
    if (!ctx.state().is(ConnectionState.LOGGING_IN)) {
      ctx.terminate(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(),
          "success on a registration connection");
      return;
    }
    ctx.connectStageDone();
    armDeadline(ctx.config().loginTimeout());
    storeLid(success.attr("lid"));
    preKeys.topUp()
        .handle((uploaded, error) -> logSkipped("pre-key upload", error))
        .thenCompose(ignored -> step("passive", "set", "active"))
        .thenCompose(ignored -> step("encrypt", "get", "digest"))
        .thenRun(this::open);
  }

  private void armDeadline(Duration timeout) {
    deadline = ctx.scheduler().schedule(() -> {
      if (ctx.state().is(ConnectionState.LOGGING_IN)) {
        log.warn("login gave up timeoutMs={} state={}", timeout.toMillis(), ctx.state().current());
        ctx.terminate(DisconnectReason.TIMED_OUT, DisconnectReason.TIMED_OUT.code(),
            "login got no answer within " + timeout.toMillis() + " ms after success");
      }
    }, timeout);
  }

  private void storeLid(String lidAttr) {
    Jid lid = lidAttr == null ? null : Jid.tryParse(lidAttr);
    Credentials creds = ctx.credentials();
    if (lid != null && !Objects.equals(lid, creds.lid())) {
      ctx.updateCredentials(creds.toBuilder().lid(lid).build());
    }
  }

  private CompletableFuture<Void> step(String xmlns, String type, String child) {
    if (ctx.state().isClosingOrClosed()) {
      return CompletableFuture.completedFuture(null);
    }
    Node iq = Node.of("iq", Node.attrsOf("xmlns", xmlns, "type", type, "to", WireProtocol.SERVER),
        List.of(Node.of(child)));
    return ctx.query(iq, ctx.config().queryTimeout())
        .handle((reply, error) -> logSkipped(xmlns + "/" + child, error));
  }

  private Void logSkipped(String step, Throwable error) {
    if (error != null && !ctx.state().isClosingOrClosed()) {
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
    if (!ctx.state().tryMoveTo(ConnectionState.OPEN)) {
      return;
    }
    Credentials creds = ctx.credentials();
    log.info("connected me={}", creds.me().masked());
    ctx.emit(new Connected(creds.me(), creds.lid()));
  }
}
