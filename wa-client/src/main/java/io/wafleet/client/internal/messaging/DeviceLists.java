package io.wafleet.client.internal.messaging;

import io.wafleet.client.binary.Node;
import io.wafleet.client.internal.NodeChannel;
import io.wafleet.client.model.Jid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The devices of users, from usync (§8.2, §8.3), cached per user for {@link #TTL} in memory; LIDs
 * in the answer are stored as PN→LID mappings (§8.4). The cache outlives connections. Thread-safe;
 * queries run on the inbound thread of the connection passed in.
 */
final class DeviceLists {

  static final Duration TTL = Duration.ofMinutes(5);

  private record Entry(List<Jid> devices, Instant fetched) {
  }

  private final Clock clock;
  private final Map<Jid, Entry> cache = new ConcurrentHashMap<>();
  private final AtomicLong sids = new AtomicLong();

  DeviceLists(Clock clock) {
    this.clock = clock;
  }

  /** The device JIDs (as usync lists them, device 0 included) of each user, in order. */
  CompletableFuture<Map<Jid, List<Jid>>> devices(NodeChannel channel, Duration timeout, LidMappings lids,
      List<Jid> users) {
    Map<Jid, List<Jid>> known = new LinkedHashMap<>();
    List<Jid> missing = new ArrayList<>();
    Instant now = clock.instant();
    for (Jid user : users) {
      Entry entry = cache.get(user);
      if (entry != null && entry.fetched().plus(TTL).isAfter(now)) {
        known.put(user, entry.devices());
      } else {
        missing.add(user);
      }
    }
    if (missing.isEmpty()) {
      return CompletableFuture.completedFuture(known);
    }
    Node query = MessageStanzas.usyncDevices("wa-" + sids.incrementAndGet(), missing);
    return channel.query(query, timeout).thenApply(reply -> {
      Map<Jid, List<Jid>> fetched = parse(reply, lids);
      fetched.forEach((user, devices) -> cache.put(user, new Entry(devices, now)));
      Map<Jid, List<Jid>> all = new LinkedHashMap<>();
      for (Jid user : users) {
        all.put(user, known.getOrDefault(user, fetched.getOrDefault(user, List.of())));
      }
      return all;
    });
  }

  /** Forgets a user's devices, e.g. after a retry receipt from a device we did not list. */
  void invalidate(Jid user) {
    cache.remove(user);
  }

  /**
   * Parses the usync answer: for each {@code <user jid>}, its {@code <device id [key-index]>}
   * kept when device 0 or key-index is truthy (§8.2), and its {@code <lid val>}.
   */
  static Map<Jid, List<Jid>> parse(Node reply, LidMappings lids) {
    Map<Jid, List<Jid>> out = new LinkedHashMap<>();
    Node usync = reply.child("usync");
    Node list = usync == null ? null : usync.child("list");
    if (list == null) {
      return out;
    }
    for (Node user : list.children("user")) {
      Jid jid = Jid.tryParse(user.attr("jid"));
      if (jid == null) {
        continue;
      }
      Jid userJid = jid.toNonDevice();
      Node lid = user.child("lid");
      Jid lidJid = lid == null ? null : Jid.tryParse(lid.attr("val"));
      if (lidJid != null && lids != null) {
        lids.store(userJid, lidJid);
      }
      out.put(userJid, devicesOf(user, userJid));
    }
    return out;
  }

  private static List<Jid> devicesOf(Node user, Jid userJid) {
    List<Jid> devices = new ArrayList<>();
    Node devicesNode = user.child("devices");
    Node deviceList = devicesNode == null ? null : devicesNode.child("device-list");
    if (deviceList == null) {
      return devices;
    }
    for (Node device : deviceList.children("device")) {
      int id;
      try {
        id = Integer.parseInt(device.attrOr("id", "-1"));
      } catch (NumberFormatException e) {
        continue;
      }
      String keyIndex = device.attr("key-index");
      boolean keyed = keyIndex != null && !keyIndex.isEmpty() && !"0".equals(keyIndex);
      if (id == 0 || (id > 0 && keyed)) {
        devices.add(userJid.withDevice(id));
      }
    }
    return devices;
  }
}
