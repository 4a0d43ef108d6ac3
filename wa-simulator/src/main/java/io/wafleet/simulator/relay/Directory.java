package io.wafleet.simulator.relay;

import io.wafleet.client.model.Jid;
import io.wafleet.simulator.group.Group;
import io.wafleet.simulator.group.Groups;
import io.wafleet.simulator.phone.Phone;
import io.wafleet.simulator.phone.PhoneBook;
import java.util.List;
import java.util.Optional;

/**
 * Resolves JIDs to simulated accounts and devices, by PN or LID (§5, §8.3), and group JIDs to
 * groups and their members' devices (§10.7). Thread-safe (reads the thread-safe phone book and
 * groups).
 */
public final class Directory {

  private final PhoneBook phones;
  private final Groups groups;

  public Directory(PhoneBook phones, Groups groups) {
    this.phones = phones;
    this.groups = groups;
  }

  public Groups groups() {
    return groups;
  }

  /** The group a {@code g.us} JID names, if any. */
  public Optional<Group> group(Jid jid) {
    return groups.find(jid);
  }

  /** Every active device of every member of the group, member by member (§10.7). */
  public List<DeviceAddress> devices(Group group) {
    return group.members().stream().map(this::phone).flatMap(Optional::stream)
        .flatMap(phone -> devices(phone).stream()).toList();
  }

  /** The account of a user or device JID, PN or LID. */
  public Optional<Phone> account(Jid jid) {
    return phones.find(jid);
  }

  /**
   * The device a JID names (no device part = device 0), if the account exists and the device is
   * device 0 or a confirmed companion.
   */
  public Optional<DeviceAddress> device(Jid jid) {
    if (jid == null) {
      return Optional.empty();
    }
    return phones.find(jid).filter(phone -> phone.isActive(jid.deviceId()))
        .map(phone -> new DeviceAddress(phone, jid.deviceId()));
  }

  /** Device 0 and the confirmed companions of an account (§8.3). */
  public List<DeviceAddress> devices(Phone phone) {
    return phone.activeDeviceIds().stream().map(id -> new DeviceAddress(phone, id)).toList();
  }

  public Optional<Phone> phone(String number) {
    return phones.find(Jid.of(number, Jid.SERVER));
  }
}
