package io.wafleet.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A group as its {@code w:g2} metadata query answers it (docs/protocol.md §10.7). Immutable.
 *
 * @param id the group JID ({@code …@g.us})
 * @param subject the group's name; empty when it has none
 * @param creator the creator's user JID, or null when the server did not say
 * @param creation when it was created, or null when the server did not say
 * @param participants the members, in the server's order
 * @param addressingMode {@code "pn"} (members by phone number) or {@code "lid"}
 */
public record GroupMetadata(Jid id, String subject, Jid creator, Instant creation,
    List<GroupParticipant> participants, String addressingMode) {

  public GroupMetadata {
    Objects.requireNonNull(id, "id == null");
    if (!id.isGroup()) {
      throw new IllegalArgumentException("not a group jid: " + id.masked());
    }
    subject = subject == null ? "" : subject;
    participants = List.copyOf(participants);
    Objects.requireNonNull(addressingMode, "addressingMode == null");
  }

  /** The members' user JIDs, in order. */
  public List<Jid> memberJids() {
    return participants.stream().map(GroupParticipant::jid).toList();
  }

  /** Whether {@code user} (any device of it) is a member. */
  public boolean isMember(Jid user) {
    Jid plain = user.toNonDevice();
    return participants.stream().anyMatch(p -> p.jid().equals(plain));
  }

  /** No subject, no phone numbers. */
  @Override
  public String toString() {
    return "GroupMetadata[id=" + id.masked() + ", participants=" + participants.size()
        + ", addressingMode=" + addressingMode + "]";
  }
}
