package io.wafleet.client.internal.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.model.Jid;
import io.wafleet.client.proto.PersistedSenderKeyMemory;
import io.wafleet.client.signal.InvalidMessageException;
import io.wafleet.client.signal.SenderKeyRecord;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sender keys and sender-key memory in the auth state's key store (docs/protocol.md §10.4), so
 * a restart keeps them: type {@value SignalKeyStore#SENDER_KEY}, id
 * {@code <group>::<user>::<device>} of the key's owner (Baileys' {@code SenderKeyName}), value
 * a {@link SenderKeyRecord}; type {@value #MEMORY}, id = the group, value a
 * {@code PersistedSenderKeyMemory}. A sender-key record that does not parse throws
 * {@link IllegalStateException} (corrupt storage never reads as "absent"); an unreadable memory
 * reads as empty (logged), which only makes the key go out again. Thread-safe as far as the key
 * store is.
 */
final class SenderKeys {

  static final String MEMORY = "sender-key-memory";
  static final int MEMORY_VERSION = 1;

  private static final Logger log = LoggerFactory.getLogger(SenderKeys.class);

  /** Members when our key was last used, and the devices that hold our current key. */
  record Memory(Set<Jid> members, Set<Jid> devices) {
    Memory {
      members = Collections.unmodifiableSet(new LinkedHashSet<>(members));
      devices = Collections.unmodifiableSet(new LinkedHashSet<>(devices));
    }

    static Memory empty() {
      return new Memory(Set.of(), Set.of());
    }
  }

  private final SignalKeyStore keys;

  SenderKeys(SignalKeyStore keys) {
    this.keys = keys;
  }

  /** {@code <group>::<user>::<device>}; the user keeps its domain suffix for LIDs. */
  static String storeId(Jid group, Jid device) {
    int domain = device.domainType();
    String user = domain == Jid.DOMAIN_WHATSAPP ? device.user() : device.user() + "_" + domain;
    return group.toNonDevice() + "::" + user + "::" + device.deviceId();
  }

  /** The record of {@code owner}'s key in {@code group}; empty when none is stored. */
  SenderKeyRecord load(Jid group, Jid owner) {
    String id = storeId(group, owner);
    byte[] blob = keys.load(SignalKeyStore.SENDER_KEY, List.of(id)).get(id);
    if (blob == null) {
      return new SenderKeyRecord();
    }
    try {
      return SenderKeyRecord.parse(blob);
    } catch (InvalidMessageException e) {
      throw new IllegalStateException("stored sender key of " + group.masked() + " is unreadable: "
          + e.getMessage(), e);
    }
  }

  void store(Jid group, Jid owner, SenderKeyRecord record) {
    keys.store(SignalKeyStore.SENDER_KEY,
        Collections.singletonMap(storeId(group, owner), record.serialize()));
  }

  Memory memory(Jid group) {
    String id = group.toNonDevice().toString();
    byte[] blob = keys.load(MEMORY, List.of(id)).get(id);
    if (blob == null) {
      return Memory.empty();
    }
    try {
      PersistedSenderKeyMemory stored = PersistedSenderKeyMemory.parseFrom(blob);
      if (stored.getVersion() != MEMORY_VERSION) {
        log.warn("sender key memory ignored group={} reason=version-{}", group.masked(),
            stored.getVersion());
        return Memory.empty();
      }
      return new Memory(jids(stored.getMembersList()), jids(stored.getDevicesList()));
    } catch (InvalidProtocolBufferException e) {
      log.warn("sender key memory ignored group={} reason=unreadable", group.masked());
      return Memory.empty();
    }
  }

  void storeMemory(Jid group, Memory memory) {
    PersistedSenderKeyMemory.Builder b = PersistedSenderKeyMemory.newBuilder()
        .setVersion(MEMORY_VERSION);
    memory.members().forEach(m -> b.addMembers(m.toString()));
    memory.devices().forEach(d -> b.addDevices(d.toString()));
    keys.store(MEMORY, Collections.singletonMap(group.toNonDevice().toString(),
        b.build().toByteArray()));
  }

  /**
   * Drops our own key in {@code group} and who has it: the next group message makes a new key
   * and distributes it to every device then in the group.
   */
  void rekey(Jid group, Jid ownDevice) {
    keys.store(SignalKeyStore.SENDER_KEY, Collections.singletonMap(storeId(group, ownDevice),
        null));
    keys.store(MEMORY, Collections.singletonMap(group.toNonDevice().toString(), null));
  }

  private static Set<Jid> jids(List<String> values) {
    Set<Jid> out = new LinkedHashSet<>();
    for (String value : values) {
      Jid jid = Jid.tryParse(value);
      if (jid != null) {
        out.add(jid);
      }
    }
    return out;
  }
}
