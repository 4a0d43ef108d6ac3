package io.wafleet.simulator.relay;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.phone.LinkedDevice;
import io.wafleet.simulator.phone.Phone.TakenPreKey;
import io.wafleet.simulator.phone.Phone;
import io.wafleet.simulator.phone.PreKeys.PublicPreKey;
import io.wafleet.simulator.phone.PreKeys.PublicSignedPreKey;
import io.wafleet.simulator.server.Stats.Counter;
import io.wafleet.simulator.server.Stats;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-key bundles (§8.5): device 0's from the phone's own keys, a companion's from its upload. Each
 * one-time pre-key is handed out once; when a companion has fewer than {@link #LOW_WATERMARK} left
 * it gets {@code <notification type="encrypt"><count value="N"/></notification>} if online.
 * Network key fetches and simulated phones share this one pool. Thread-safe.
 */
public final class KeyBundles {

  /** Below this many one-time pre-keys a companion is told to upload more (§8.5). */
  public static final int LOW_WATERMARK = 5;

  private static final Logger log = LoggerFactory.getLogger(KeyBundles.class);
  private static final AtomicLong NOTIFICATION_IDS = new AtomicLong();

  private final Directory directory;
  private final Relay relay;
  private final Stats stats;
  private final Clock clock;

  /** One device's published keys; {@code preKey} is null when none were left. Immutable. */
  public record Bundle(DeviceAddress device, int registrationId, byte[] identityKey,
      PublicSignedPreKey signedPreKey, PublicPreKey preKey) {}

  public KeyBundles(Directory directory, Relay relay, Stats stats, Clock clock) {
    this.directory = directory;
    this.relay = relay;
    this.stats = stats;
    this.clock = clock;
  }

  /**
   * The bundle of the device a JID names (PN or LID, no device = 0), consuming one one-time
   * pre-key; empty when no such device exists.
   */
  public Optional<Bundle> fetch(Jid deviceJid) {
    Optional<DeviceAddress> found = directory.device(deviceJid);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    DeviceAddress device = found.get();
    Phone phone = device.phone();
    Optional<TakenPreKey> taken = phone.takePreKey(device.deviceId());
    Bundle bundle;
    if (device.deviceId() == 0) {
      bundle = new Bundle(device, phone.primaryKeys().registrationId(),
          phone.primaryKeys().identity().publicKey(), phone.primaryKeys().signedPreKey().toPublic(),
          taken.map(TakenPreKey::key).orElse(null));
    } else {
      Optional<LinkedDevice> linked = phone.device(device.deviceId());
      if (linked.isEmpty()) {
        return Optional.empty();
      }
      bundle = new Bundle(device, linked.get().registration().registrationId(),
          linked.get().registration().identityKey(), linked.get().signedPreKey(),
          taken.map(TakenPreKey::key).orElse(null));
      int left = taken.map(TakenPreKey::remaining).orElse(0);
      if (left < LOW_WATERMARK) {
        notifyLow(device, left);
      }
    }
    stats.increment(Counter.KEY_BUNDLES_SERVED);
    return Optional.of(bundle);
  }

  /** One-time pre-keys the server still holds for the device, or empty if there is no such device. */
  public Optional<Integer> remaining(Jid deviceJid) {
    return directory.device(deviceJid).map(d -> d.phone().preKeysLeft(d.deviceId()));
  }

  private void notifyLow(DeviceAddress device, int left) {
    Node notification = Node.of("notification", Node.attrsOf("from", RelayStanzas.SERVER,
        "type", "encrypt", "id", "sim-enc-" + NOTIFICATION_IDS.incrementAndGet(),
        "t", Long.toString(clock.instant().getEpochSecond())),
        List.of(Node.of("count", Node.attrsOf("value", Integer.toString(left)))));
    boolean sent = relay.notifyIfOnline(device, notification);
    log.info("pre-keys low device={} left={} notified={}", device, left, sent);
  }
}
