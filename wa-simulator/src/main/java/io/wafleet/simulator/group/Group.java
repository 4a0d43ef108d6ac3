package io.wafleet.simulator.group;

import io.wafleet.client.model.Jid;
import java.util.List;
import java.util.Objects;

/**
 * One simulated group (docs/protocol.md §10.7): its JID {@code <creatorPhone>-<unixSeconds>@g.us},
 * subject, creator and creation time, and its members as phone numbers in the order they joined
 * (the creator first, the group's only admin, {@code type="superadmin"}). A member's devices are
 * its phone (device 0) and its linked companions. Immutable; a membership change makes a new
 * record. Thread-safe.
 *
 * @param subjectTime when the subject was set (the creation time: it is never changed)
 */
public record Group(Jid jid, String subject, String creator, long creation, long subjectTime,
    List<String> members) {

  public Group {
    Objects.requireNonNull(jid, "jid == null");
    Objects.requireNonNull(subject, "subject == null");
    Objects.requireNonNull(creator, "creator == null");
    members = List.copyOf(members);
  }

  public boolean isMember(String number) {
    return members.contains(number);
  }

  /** This group with {@code members} instead. */
  Group withMembers(List<String> next) {
    return new Group(jid, subject, creator, creation, subjectTime, next);
  }
}
