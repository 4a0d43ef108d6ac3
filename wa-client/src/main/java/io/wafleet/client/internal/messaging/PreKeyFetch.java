package io.wafleet.client.internal.messaging;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.binary.Node;
import io.wafleet.client.internal.NodeChannel;
import io.wafleet.client.internal.WireProtocol;
import io.wafleet.client.model.Jid;
import io.wafleet.client.signal.InvalidKeyException;
import io.wafleet.client.signal.PreKeyBundle;
import io.wafleet.client.signal.UntrustedIdentityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens Signal sessions for devices that have none: one {@code encrypt}/{@code key} query for all
 * of them (§8.5), each bundle verified (signed pre-key signature) and processed. A device whose
 * bundle is missing, carries an {@code <error>} or does not verify is left without a session and
 * logged; the send then skips it. Inbound thread only.
 */
final class PreKeyFetch {

  private static final Logger log = LoggerFactory.getLogger(PreKeyFetch.class);

  private final ClientConfig config;
  private final NodeChannel channel;
  private final SignalSessions sessions;
  private final LidMappings lids;

  PreKeyFetch(ClientConfig config, NodeChannel channel, SignalSessions sessions, LidMappings lids) {
    this.config = config;
    this.channel = channel;
    this.sessions = sessions;
    this.lids = lids;
  }

  /** Ensures sessions for {@code devices}; {@code force} fetches even where one exists (§9.4). */
  CompletableFuture<Void> ensure(List<Jid> devices, boolean force) {
    Map<String, Jid> asked = new LinkedHashMap<>();
    for (Jid device : devices) {
      if (force || !sessions.has(device)) {
        Jid keyed = lids.lidFirst(device);
        asked.put(keyed.toString(), device);
      }
    }
    if (asked.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<Jid> query = asked.keySet().stream().map(Jid::parse).toList();
    return channel.query(MessageStanzas.keyFetch(query), config.queryTimeout())
        .thenAccept(reply -> inject(reply, asked));
  }

  private void inject(Node reply, Map<String, Jid> asked) {
    Node list = reply.child("list");
    List<Node> users = list == null ? List.of() : list.children("user");
    for (Node user : users) {
      Jid device = asked.get(user.attrOr("jid", ""));
      if (device == null) {
        Jid parsed = Jid.tryParse(user.attr("jid"));
        device = parsed;
      }
      if (device == null || user.child("error") != null) {
        log.debug("key fetch: no bundle for a device error={}", user.child("error"));
        continue;
      }
      try {
        sessions.process(device, parseBundle(user, device.deviceId()));
      } catch (InvalidKeyException | UntrustedIdentityException | RuntimeException e) {
        log.warn("key fetch: bundle refused device={} error={}", device.masked(), e.toString());
      }
    }
  }

  /** One {@code <user>} of the key-fetch answer as a bundle (§8.5). */
  static PreKeyBundle parseBundle(Node user, int deviceId) {
    int registration = WireProtocol.fromBigEndian(required(user, "registration").bytes());
    byte[] identity = required(user, "identity").bytes();
    Node skey = required(user, "skey");
    Node key = user.child("key");
    Integer preKeyId = key == null ? null
        : WireProtocol.fromBigEndian(required(key, "id").bytes());
    byte[] preKey = key == null ? null : required(key, "value").bytes();
    return new PreKeyBundle(registration, deviceId, preKeyId, preKey,
        WireProtocol.fromBigEndian(required(skey, "id").bytes()),
        required(skey, "value").bytes(), required(skey, "signature").bytes(), identity);
  }

  private static Node required(Node parent, String tag) {
    Node child = parent.child(tag);
    if (child == null || (child.bytes() == null && !child.hasChildren())) {
      throw new IllegalArgumentException("bundle without <" + tag + ">");
    }
    return child;
  }
}
