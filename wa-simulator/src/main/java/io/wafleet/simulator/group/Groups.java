package io.wafleet.simulator.group;

import io.wafleet.client.model.Jid;
import io.wafleet.simulator.group.GroupException.Reason;
import io.wafleet.simulator.phone.PhoneBook;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's groups (docs/protocol.md §10.7): creates them, answers who is in one, adds and
 * removes members. Members must be simulated phones. Thread-safe: the map is guarded by this
 * object's lock, which is never held while calling out (the phone book is only read before it).
 */
public final class Groups {

  /** WhatsApp's limit on a subject. */
  public static final int MAX_SUBJECT = 100;
  /** Members one group may have here (WhatsApp's own limit is larger; ours keeps fan-out small). */
  public static final int MAX_MEMBERS = 256;

  private static final Logger log = LoggerFactory.getLogger(Groups.class);

  private final PhoneBook phones;
  private final Clock clock;
  private final Map<String, Group> groups = new HashMap<>();

  /** A membership change as applied: who joined and who left (each only if it changed anything). */
  public record Change(Group group, List<String> added, List<String> removed) {
    public Change {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
    }
  }

  public Groups(PhoneBook phones, Clock clock) {
    this.phones = phones;
    this.clock = clock;
  }

  /**
   * A new group with the creator and the participants (duplicates and the creator among them
   * ignored). Its JID is {@code <creator>-<unixSeconds>@g.us}, the seconds moved on while taken.
   */
  public Group create(String subject, String creator, List<String> participants) {
    checkSubject(subject);
    requirePhone(creator, "creator");
    Set<String> members = new LinkedHashSet<>();
    members.add(creator);
    for (String number : participants) {
      requirePhone(number, "participants");
      members.add(number);
    }
    checkSize(members.size(), "participants");
    long now = clock.instant().getEpochSecond();
    Group group;
    synchronized (this) {
      long seconds = now;
      while (groups.containsKey(jid(creator, seconds).toString())) {
        seconds++;
      }
      group = new Group(jid(creator, seconds), subject, creator, now, now, new ArrayList<>(members));
      groups.put(group.jid().toString(), group);
    }
    log.info("group created group={} members={}", masked(group.jid()), members.size());
    return group;
  }

  /** The group a JID names (device part ignored), if any. */
  public synchronized Optional<Group> find(Jid jid) {
    if (jid == null || !jid.isGroup()) {
      return Optional.empty();
    }
    return Optional.ofNullable(groups.get(jid.toNonDevice().toString()));
  }

  /** The group, or {@link Reason#UNKNOWN_GROUP}. */
  public Group get(String jid) {
    return find(Jid.tryParse(jid)).orElseThrow(
        () -> new GroupException(Reason.UNKNOWN_GROUP, "no such group", "jid"));
  }

  /**
   * Adds and removes members in one step: each added number must be a phone, each removed one a
   * member other than the creator; a number in both lists is refused. Adding a member already in,
   * like removing one already out, changes nothing and is not reported.
   */
  public Change change(String jid, List<String> add, List<String> remove) {
    if (add.isEmpty() && remove.isEmpty()) {
      throw new GroupException(Reason.BAD_REQUEST, "add or remove at least one phone", "add");
    }
    for (String number : add) {
      requirePhone(number, "add");
      if (remove.contains(number)) {
        throw new GroupException(Reason.BAD_REQUEST, "a phone is both added and removed", "remove");
      }
    }
    for (String number : remove) {
      requirePhone(number, "remove");
    }
    Change change;
    synchronized (this) {
      Group group = get(jid);
      for (String number : remove) {
        if (number.equals(group.creator())) {
          throw new GroupException(Reason.CONFLICT, "the creator cannot be removed", "remove");
        }
        if (!group.isMember(number)) {
          throw new GroupException(Reason.CONFLICT, "not a member of the group", "remove");
        }
      }
      Set<String> members = new LinkedHashSet<>(group.members());
      List<String> added = add.stream().distinct().filter(members::add).toList();
      List<String> removed = remove.stream().distinct().filter(members::remove).toList();
      checkSize(members.size(), "add");
      Group next = group.withMembers(new ArrayList<>(members));
      groups.put(next.jid().toString(), next);
      change = new Change(next, added, removed);
    }
    log.info("group changed group={} added={} removed={} members={}", masked(change.group().jid()),
        change.added().size(), change.removed().size(), change.group().members().size());
    return change;
  }

  /** The groups the number is a member of. */
  public synchronized List<Group> of(String number) {
    return groups.values().stream().filter(group -> group.isMember(number)).toList();
  }

  private void requirePhone(String number, String field) {
    if (number == null || !number.matches("[0-9]{1,20}")
        || phones.find(Jid.tryParse(number + "@" + Jid.SERVER)).isEmpty()) {
      throw new GroupException(Reason.UNKNOWN_PHONE, "no simulated phone " + maskedNumber(number),
          field);
    }
  }

  private static void checkSubject(String subject) {
    if (subject == null || subject.isBlank()
        || subject.codePointCount(0, subject.length()) > MAX_SUBJECT
        || subject.codePoints().anyMatch(Character::isISOControl)) {
      throw new GroupException(Reason.BAD_REQUEST,
          "subject must be 1.." + MAX_SUBJECT + " characters without control characters", "subject");
    }
  }

  private static void checkSize(int members, String field) {
    if (members > MAX_MEMBERS) {
      throw new GroupException(Reason.BAD_REQUEST, "a group has at most " + MAX_MEMBERS
          + " members", field);
    }
  }

  private static Jid jid(String creator, long seconds) {
    return Jid.of(creator + "-" + seconds, Jid.GROUP_SERVER);
  }

  /** Group JIDs carry the creator's number: masked like phone numbers in logs. */
  static String masked(Jid group) {
    return group.toString().replaceAll("^\\d+(?=\\d{4}-)", "***");
  }

  private static String maskedNumber(String number) {
    return number == null ? "null" : number.replaceAll(".(?=.{4})", "*");
  }
}
