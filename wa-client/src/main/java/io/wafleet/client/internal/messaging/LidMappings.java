package io.wafleet.client.internal.messaging;

import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.model.Jid;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PN→LID user mappings in the key store, type {@value SignalKeyStore#LID_MAPPING} (§5 "LID-first
 * storage", §8.4): id = phone-number user, value = LID user; id {@code <lid>_reverse} holds the
 * way back, as Baileys stores them. They are learnt from usync answers, the {@code success}
 * stanza and message attributes ({@code sender_lid}, {@code sender_pn}, §9.1) and persist with the
 * auth state's keys. Thread-safe as far as the key store is.
 */
public final class LidMappings {

  static final String TYPE = SignalKeyStore.LID_MAPPING;

  private final SignalKeyStore keys;

  public LidMappings(SignalKeyStore keys) {
    this.keys = keys;
  }

  /**
   * The LID user JID of a phone-number user or device JID, if known.
   *
   * @throws IllegalArgumentException if {@code pn} is not a phone-number JID
   */
  public Optional<Jid> lidOf(Jid pn) {
    if (!pn.isUser()) {
      throw new IllegalArgumentException("not a phone-number jid: " + pn.masked());
    }
    return Optional.ofNullable(lidUser(pn.user())).map(user -> Jid.of(user, Jid.LID_SERVER));
  }

  /**
   * The phone-number user JID of a LID user or device JID, if known.
   *
   * @throws IllegalArgumentException if {@code lid} is not a LID JID
   */
  public Optional<Jid> phoneNumberOf(Jid lid) {
    if (!lid.isLid()) {
      throw new IllegalArgumentException("not a lid jid: " + lid.masked());
    }
    return Optional.ofNullable(pnUser(lid.user())).map(user -> Jid.of(user, Jid.SERVER));
  }

  /** Remembers that {@code pn} (a PN user or device JID) is {@code lid} (a LID JID). */
  void store(Jid pn, Jid lid) {
    if (!pn.isUser() || !lid.isLid() || pn.user().isEmpty() || lid.user().isEmpty()) {
      return;
    }
    if (lid.user().equals(lidUser(pn.user()))) {
      return;
    }
    Map<String, byte[]> values = new HashMap<>();
    values.put(pn.user(), lid.user().getBytes(StandardCharsets.UTF_8));
    values.put(lid.user() + "_reverse", pn.user().getBytes(StandardCharsets.UTF_8));
    keys.store(TYPE, values);
  }

  /** The LID user of a PN user, or null. */
  String lidUser(String pnUser) {
    byte[] value = keys.load(TYPE, List.of(pnUser)).get(pnUser);
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /** The PN user of a LID user, or null. */
  String pnUser(String lidUser) {
    String id = lidUser + "_reverse";
    byte[] value = keys.load(TYPE, List.of(id)).get(id);
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  /** A PN device JID in its LID form when the mapping is known; any other JID unchanged. */
  Jid lidFirst(Jid device) {
    if (!device.isUser()) {
      return device;
    }
    String lid = lidUser(device.user());
    return lid == null ? device : Jid.of(lid, device.deviceId(), Jid.LID_SERVER);
  }
}
