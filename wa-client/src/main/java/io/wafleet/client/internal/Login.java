package io.wafleet.client.internal;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.ConnectionState;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.Connected;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.model.Jid;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After {@code <success>} on a login connection (§7.1, §7.2): stores the LID, tops up pre-keys,
 * marks the connection active, checks the key digest, then moves to OPEN and emits
 * {@link Connected}. A failed or unanswered post-login query is logged and skipped, as Baileys
 * does; a closed connection stops the sequence. Inbound thread only.
 */
final class Login {

  private static final Logger log = LoggerFactory.getLogger(Login.class);

  private final ClientConfig config;
  private final NodeChannel channel;
  private final DeviceAuth auth;
  private final EventEmitter events;
  private final ConnectionLifecycle lifecycle;
  private final PreKeyUploader preKeys;

  Login(ClientConfig config, NodeChannel channel, DeviceAuth auth, EventEmitter events,
      ConnectionLifecycle lifecycle, PreKeyUploader preKeys) {
    this.config = config;
    this.channel = channel;
    this.auth = auth;
    this.events = events;
    this.lifecycle = lifecycle;
    this.preKeys = preKeys;
  }

  void onSuccess(Node success) {
    if (!lifecycle.state().is(ConnectionState.LOGGING_IN)) {
      lifecycle.terminate(DisconnectReason.BAD_SESSION, DisconnectReason.BAD_SESSION.code(),
          "success on a registration connection");
      return;
    }
    lifecycle.connectStageDone();
    storeLid(success.attr("lid"));
    preKeys.topUp()
        .handle((uploaded, error) -> logSkipped("pre-key upload", error))
        .thenCompose(ignored -> step("passive", "set", "active"))
        .thenCompose(ignored -> step("encrypt", "get", "digest"))
        .thenRun(this::open);
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
    if (!lifecycle.state().tryMoveTo(ConnectionState.OPEN)) {
      return;
    }
    Credentials creds = auth.credentials();
    log.info("connected me={}", creds.me().masked());
    events.emit(new Connected(creds.me(), creds.lid()));
  }
}
