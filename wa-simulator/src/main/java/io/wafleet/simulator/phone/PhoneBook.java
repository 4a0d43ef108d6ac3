package io.wafleet.simulator.phone;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.phone.PhoneBookException.Reason;
import io.wafleet.simulator.phone.PreKeys.DeviceKeys;
import io.wafleet.simulator.phone.PreKeys.PublicPreKey;
import io.wafleet.simulator.phone.PreKeys.PublicSignedPreKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * All simulated phones, their linked devices and the live pair-device refs (§6). The admin API
 * creates phones and scans QRs here; connections register refs, authenticate logins (§3.3) and
 * store uploaded pre-keys (§7.2).
 *
 * <p>Thread-safe: concurrent maps plus per-phone locks; no lock is held while a {@link Companion}
 * is called, so a connection may call in while holding its own lock.
 */
public final class PhoneBook {

  private static final Pattern PHONE = Pattern.compile("[1-9][0-9]{6,14}");
  private static final int PRIMARY_PRE_KEYS = 32;

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Phone> phones = new ConcurrentHashMap<>();
  private final Map<String, RefTicket> refs = new ConcurrentHashMap<>();
  /** Every ref ever issued, live or not: tells an expired ref (410) from an unknown one (404). */
  private final Set<String> issuedRefs = ConcurrentHashMap.newKeySet();
  private final Map<String, Phone> byLid = new ConcurrentHashMap<>();

  /** A live ref and the registering companion that showed it (§6.1, §6.3). */
  private record RefTicket(Companion companion, Instant expiresAt) {}

  private final LinkCodes linkCodes;
  /** Companions whose first pre-key upload was reported, by device JID. */
  private final Set<String> welcomed = ConcurrentHashMap.newKeySet();
  private volatile java.util.function.Consumer<Jid> onFirstUpload = device -> { };

  public PhoneBook(Clock clock) {
    this(clock, Duration.ofSeconds(10));
  }

  /**
   * @param linkCodeFinishTimeout how long a phone entering a pairing code waits for the
   *     companion's companion_finish (§6.7)
   */
  public PhoneBook(Clock clock, Duration linkCodeFinishTimeout) {
    this.clock = clock;
    this.linkCodes = new LinkCodes(this, clock, linkCodeFinishTimeout);
  }

  /** Pairing codes (§6.7): what companions asked for, and phones entering them. */
  public LinkCodes linkCodes() {
    return linkCodes;
  }

  /** Creates a phone with a fresh LID, account key and device-0 Signal keys. */
  public Phone create(String number) {
    if (number == null || !PHONE.matcher(number).matches()) {
      throw new PhoneBookException(Reason.BAD_PHONE, "phone must be 7..15 digits, no leading 0",
          "phone");
    }
    Phone phone = new Phone(number, newLidUser(), Curve25519.generateKeyPair(),
        DeviceKeys.generate(random.nextInt(), PRIMARY_PRE_KEYS));
    if (phones.putIfAbsent(number, phone) != null) {
      throw new PhoneBookException(Reason.DUPLICATE_PHONE, "phone exists already", "phone");
    }
    byLid.put(phone.lid().user(), phone);
    return phone;
  }

  private String newLidUser() {
    // 15 digits, first digit non-zero (§5, §13); collisions are retried.
    while (true) {
      String lid = (1 + random.nextInt(9)) + String.format("%014d",
          Math.floorMod(random.nextLong(), 100_000_000_000_000L));
      if (phones.values().stream().noneMatch(p -> p.lid().user().equals(lid))) {
        return lid;
      }
    }
  }

  public Phone phone(String number) {
    Phone phone = number == null ? null : phones.get(number);
    if (phone == null) {
      throw new PhoneBookException(Reason.UNKNOWN_PHONE, "no such phone", "phone");
    }
    return phone;
  }

  /**
   * The account a user or device JID names, by phone number ({@code @s.whatsapp.net}) or by LID
   * ({@code @lid}) (§5); empty for any other server or an unknown user.
   */
  public Optional<Phone> find(Jid jid) {
    if (jid == null) {
      return Optional.empty();
    }
    return switch (jid.server()) {
      case Jid.SERVER -> Optional.ofNullable(phones.get(jid.user()));
      case Jid.LID_SERVER -> Optional.ofNullable(byLid.get(jid.user()));
      default -> Optional.empty();
    };
  }

  /** Every phone, in no particular order. */
  public List<Phone> all() {
    return List.copyOf(phones.values());
  }

  public int phoneCount() {
    return phones.size();
  }

  public int deviceCount() {
    return phones.values().stream().mapToInt(p -> p.devices().size()).sum();
  }

  /**
   * Makes {@code count} fresh refs for a registering companion (§6.1): ref i stays valid for
   * {@code firstTtl + i·nextTtl}, matching the client's display schedule (§6.3).
   */
  public List<String> issueRefs(Companion companion, int count, Duration firstTtl, Duration nextTtl) {
    Instant now = clock.instant();
    List<String> issued = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] bytes = new byte[18];
      random.nextBytes(bytes);
      String ref = "2@" + Base64.getEncoder().encodeToString(bytes);
      issuedRefs.add(ref);
      refs.put(ref, new RefTicket(companion, now.plus(firstTtl).plus(nextTtl.multipliedBy(i))));
      issued.add(ref);
    }
    return issued;
  }

  /** Forgets every ref of that companion (it paired or disconnected). */
  public void revokeRefs(Companion companion) {
    refs.values().removeIf(ticket -> ticket.companion() == companion);
  }

  /**
   * The phone scans a QR (§6.4): checks the ref and keys, links a new device and has the
   * companion send pair-success. Returns the (unconfirmed) device.
   *
   * <p>A ref this book issued that is no longer valid for any reason (its time passed, it was
   * rotated out, used by a scan, or its registration socket closed) is {@code EXPIRED_REF}; only a
   * ref it never issued is {@code UNKNOWN_REF}.
   */
  public LinkedDevice scan(String number, String qrText) {
    Phone phone = phone(number);
    ScannedQrCode qr = ScannedQrCode.parse(qrText);
    RefTicket ticket = refs.get(qr.ref());
    if (ticket == null && issuedRefs.contains(qr.ref())) {
      throw new PhoneBookException(Reason.EXPIRED_REF,
          "this ref is no longer valid (expired, used, or its registration closed)", "qr");
    }
    if (ticket == null) {
      throw new PhoneBookException(Reason.UNKNOWN_REF, "this ref was never issued", "qr");
    }
    if (!clock.instant().isBefore(ticket.expiresAt())) {
      throw new PhoneBookException(Reason.EXPIRED_REF, "this ref has expired", "qr");
    }
    Registration registration = ticket.companion().registration();
    if (!Arrays.equals(registration.identityKey(), qr.identityKey())
        || !Arrays.equals(registration.noiseKey(), qr.noiseKey())) {
      throw new PhoneBookException(Reason.QR_MISMATCH,
          "qr keys differ from the registering connection's", "qr");
    }
    return linkAndConfirmLater(phone, ticket.companion(), qr.advSecret());
  }

  /**
   * Links a new device of {@code phone} for {@code companion} and has it send pair-success with
   * the HMAC keyed by {@code advSecret} (§6.4); the device is confirmed by its pair-device-sign.
   */
  LinkedDevice linkAndConfirmLater(Phone phone, Companion companion, byte[] advSecret) {
    revokeRefs(companion);
    linkCodes.revoke(companion);
    LinkedDevice device = phone.link(companion.registration(), clock.instant());
    PendingLink link = AdvPairing.build(phone, device, random.nextInt() & 0x7FFFFFFF,
        advSecret, clock.instant());
    companion.sendPairSuccess(link);
    return device;
  }

  /** Marks the device of a verified pair-device-sign as confirmed (§6.5). */
  public void confirm(PendingLink link) {
    link.phone().update(link.device().deviceId(), LinkedDevice::withConfirmed);
  }

  /** Undoes a link whose pair-device-sign failed or never came. */
  public void abandon(PendingLink link) {
    link.phone().update(link.device().deviceId(), device -> device.confirmed() ? device : null);
  }

  /**
   * Login (§3.3): the confirmed device (username, device) whose registered Noise static key is
   * {@code noiseKey}; empty on any mismatch.
   */
  public Optional<LinkedDevice> authenticate(long username, int deviceId, byte[] noiseKey) {
    Phone phone = phones.get(Long.toString(username));
    if (phone == null || deviceId < 1) {
      return Optional.empty();
    }
    return phone.device(deviceId)
        .filter(LinkedDevice::confirmed)
        .filter(device -> Arrays.equals(device.registration().noiseKey(), noiseKey));
  }

  /** Stores a pre-key upload (§7.2); returns the device's pre-key count afterwards. */
  public int storePreKeys(Jid deviceJid, PublicSignedPreKey signed, List<PublicPreKey> keys) {
    Optional<LinkedDevice> stored = phoneOf(deviceJid).update(deviceJid.deviceId(),
        d -> d.withUpload(signed, keys));
    if (stored.isPresent() && stored.get().confirmed() && !stored.get().preKeys().isEmpty()
        && welcomed.add(stored.get().jid().toString())) {
      onFirstUpload.accept(stored.get().jid());
    }
    return stored.map(d -> d.preKeys().size()).orElse(0);
  }

  /**
   * Runs {@code listener} (on the uploading connection's thread; it must not block) when a linked
   * companion first uploads pre-keys, the moment its phone can encrypt to it (§9.6).
   */
  public void onFirstPreKeyUpload(java.util.function.Consumer<Jid> listener) {
    onFirstUpload = Objects.requireNonNull(listener, "listener == null");
  }

  /** How many one-time pre-keys the server holds for the device (§7.2 {@code encrypt/count}). */
  public int preKeyCount(Jid deviceJid) {
    return phoneOf(deviceJid).device(deviceJid.deviceId()).map(d -> d.preKeys().size()).orElse(0);
  }

  /** Unlinks a device (§7.6 logout); its next login fails. */
  public LinkedDevice unlink(Jid deviceJid) {
    Phone phone = phones.get(deviceJid.user());
    Optional<LinkedDevice> removed = phone == null || deviceJid.deviceId() < 1
        ? Optional.empty()
        : phone.unlink(deviceJid.deviceId());
    return removed.orElseThrow(() -> new PhoneBookException(Reason.UNKNOWN_DEVICE,
        "no linked device has this jid", "deviceJid"));
  }

  private Phone phoneOf(Jid deviceJid) {
    Phone phone = phones.get(deviceJid.user());
    if (phone == null) {
      throw new PhoneBookException(Reason.UNKNOWN_DEVICE, "no such device", "deviceJid");
    }
    return phone;
  }
}
