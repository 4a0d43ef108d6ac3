package io.wafleet.client.internal;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.signal.InvalidMessageException;
import io.wafleet.client.signal.PreKeyRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the server's stock of our one-time pre-keys (§7.2): asks the count, and when it is 0
 * uploads {@code initialPreKeyCount} (812), when it is at most 5 uploads 5. Keys are generated and
 * stored (and {@code nextPreKeyId} advanced) before the upload, so a failed upload loses nothing;
 * {@code firstUnuploadedPreKeyId} advances after the server accepted them. Inbound thread only.
 */
public final class PreKeyUploader {

  private static final Logger log = LoggerFactory.getLogger(PreKeyUploader.class);
  private static final int MAX_ID = 0xFFFFFF;

  private final ClientConfig config;
  private final NodeChannel channel;
  private final DeviceAuth auth;

  public PreKeyUploader(ClientConfig config, NodeChannel channel, DeviceAuth auth) {
    this.config = config;
    this.channel = channel;
    this.auth = auth;
  }

  /** Completes with the number of keys uploaded (0 when the server has enough). */
  public CompletableFuture<Integer> topUp() {
    Node count = Node.of("iq", Node.attrsOf("xmlns", "encrypt", "type", "get",
        "to", WireProtocol.SERVER), List.of(Node.of("count")));
    return channel.query(count, config.queryTimeout()).thenCompose(reply -> {
      int onServer = Integer.parseInt(reply.child("count").attrOr("value", "0"));
      int toUpload = onServer == 0 ? config.initialPreKeyCount()
          : onServer <= ClientConfig.MIN_PRE_KEY_COUNT ? ClientConfig.MIN_PRE_KEY_COUNT : 0;
      log.info("pre-keys on server count={} uploading={}", onServer, toUpload);
      return toUpload == 0 ? CompletableFuture.completedFuture(0) : upload(toUpload);
    });
  }

  CompletableFuture<Integer> upload(int count) {
    List<PreKeyRecord> keys = ensureKeys(count);
    Credentials creds = auth.credentials();
    Node iq = Node.of("iq", Node.attrsOf("xmlns", "encrypt", "type", "set",
        "to", WireProtocol.SERVER), List.of(
        Node.of("registration", Map.of(), WireProtocol.bigEndian(creds.registrationId(), 4)),
        Node.of("type", Map.of(), new byte[] {Curve25519.DJB_TYPE}),
        Node.of("identity", Map.of(), creds.signedIdentityKey().publicKey()),
        Node.of("list", Map.of(), keys.stream().map(PreKeyUploader::keyNode).toList()),
        signedKeyNode(creds)));
    int end = keys.get(keys.size() - 1).id() + 1;
    return channel.query(iq, config.queryTimeout()).thenApply(reply -> {
      auth.updateCredentials(auth.credentials().toBuilder().firstUnuploadedPreKeyId(end).build());
      return keys.size();
    });
  }

  /** The keys with ids from firstUnuploadedPreKeyId on, generating and storing missing ones. */
  private List<PreKeyRecord> ensureKeys(int count) {
    Credentials creds = auth.credentials();
    int start = creds.firstUnuploadedPreKeyId();
    int end = start + count;
    if (end - 1 > MAX_ID) {
      throw new IllegalStateException("pre-key ids exhausted");
    }
    Map<String, byte[]> fresh = new HashMap<>();
    for (int id = Math.max(start, creds.nextPreKeyId()); id < end; id++) {
      fresh.put(Integer.toString(id), new PreKeyRecord(id, Curve25519.generateKeyPair()).serialize());
    }
    if (!fresh.isEmpty()) {
      auth.keys().store(SignalKeyStore.PRE_KEY, fresh);
      auth.updateCredentials(creds.toBuilder().nextPreKeyId(Math.max(end, creds.nextPreKeyId())).build());
    }
    List<String> ids = new ArrayList<>();
    for (int id = start; id < end; id++) {
      ids.add(Integer.toString(id));
    }
    Map<String, byte[]> stored = auth.keys().load(SignalKeyStore.PRE_KEY, ids);
    List<PreKeyRecord> records = new ArrayList<>();
    for (String id : ids) {
      records.add(parse(id, stored.get(id)));
    }
    return records;
  }

  private static PreKeyRecord parse(String id, byte[] serialized) {
    if (serialized == null) {
      throw new IllegalStateException("pre-key " + id + " missing from the key store");
    }
    try {
      return new PreKeyRecord(serialized);
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("pre-key " + id + " unreadable: " + e.getMessage(), e);
    }
  }

  private static Node keyNode(PreKeyRecord key) {
    return Node.of("key", Map.of(), List.of(
        Node.of("id", Map.of(), WireProtocol.bigEndian(key.id(), 3)),
        Node.of("value", Map.of(), key.keyPair().publicKey())));
  }

  private static Node signedKeyNode(Credentials creds) {
    return Node.of("skey", Map.of(), List.of(
        Node.of("id", Map.of(), WireProtocol.bigEndian(creds.signedPreKey().id(), 3)),
        Node.of("value", Map.of(), creds.signedPreKey().keyPair().publicKey()),
        Node.of("signature", Map.of(), creds.signedPreKey().signature())));
  }
}
