package io.wafleet.client.internal;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.DisconnectReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler table for stanzas the server sends on its own (§6, §7): pairing iqs, server pings,
 * {@code success}, {@code failure}, {@code stream:error}, {@code xmlstreamend} and {@code ib}.
 * Inbound thread only.
 */
final class ServerStanzas {

  private static final Logger log = LoggerFactory.getLogger(ServerStanzas.class);

  private final NodeChannel channel;
  private final DeviceAuth auth;
  private final ConnectionLifecycle lifecycle;
  private final Pairing pairing;
  private final Login login;

  ServerStanzas(NodeChannel channel, DeviceAuth auth, ConnectionLifecycle lifecycle,
      Pairing pairing, Login login) {
    this.channel = channel;
    this.auth = auth;
    this.lifecycle = lifecycle;
    this.pairing = pairing;
    this.login = login;
  }

  NodeDispatcher register(NodeDispatcher dispatcher) {
    return dispatcher
        .on("iq", this::onIq)
        .on("success", login::onSuccess)
        .on("failure", this::onFailure)
        .on("stream:error", this::onStreamError)
        .on("xmlstreamend", node -> lifecycle.terminate(DisconnectReason.CONNECTION_CLOSED,
            DisconnectReason.CONNECTION_CLOSED.code(), "server ended the stream (xmlstreamend)"))
        .on("ib", this::onIb);
  }

  private void onIq(Node iq) {
    String first = WireProtocol.firstChildTag(iq);
    switch (first) {
      case "pair-device" -> pairing.onPairDevice(iq);
      case "pair-success" -> pairing.onPairSuccess(iq);
      case "ping" -> channel.send(WireProtocol.resultFor(iq));
      default -> log.debug("server iq ignored type={} child={}", iq.attr("type"), first);
    }
  }

  private void onFailure(Node failure) {
    int code = DisconnectReason.failureCode(failure);
    lifecycle.terminate(DisconnectReason.fromCode(code), code, "login refused: failure reason=" + code);
  }

  private void onStreamError(Node error) {
    int code = DisconnectReason.streamErrorCode(error);
    StringBuilder detail = new StringBuilder("stream:error code=").append(code);
    if (!error.children().isEmpty()) {
      Node first = error.children().get(0);
      detail.append(' ').append(first.tag());
      if (first.attr("type") != null) {
        detail.append(" type=").append(first.attr("type"));
      }
    }
    lifecycle.terminate(DisconnectReason.fromCode(code), code, detail.toString());
  }

  private void onIb(Node ib) {
    if (ib.child("downgrade_webclient") != null) {
      lifecycle.terminate(DisconnectReason.MULTIDEVICE_MISMATCH,
          DisconnectReason.MULTIDEVICE_MISMATCH.code(), "server sent downgrade_webclient");
      return;
    }
    Node edge = ib.child("edge_routing");
    Node routing = edge == null ? null : edge.child("routing_info");
    byte[] info = routing == null ? null : routing.bytes();
    if (info != null && info.length > 0) {
      log.info("edge routing info stored bytes={}", info.length);
      auth.updateCredentials(auth.credentials().toBuilder().routingInfo(info).build());
    }
  }
}
