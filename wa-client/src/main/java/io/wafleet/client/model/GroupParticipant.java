package io.wafleet.client.model;

import java.util.Objects;

/**
 * A member of a group as the group's metadata lists it (docs/protocol.md §10.7). Immutable.
 *
 * @param jid the member's user JID
 * @param admin true for {@code type="admin"} and {@code type="superadmin"}
 * @param superAdmin true for {@code type="superadmin"} (the creator)
 */
public record GroupParticipant(Jid jid, boolean admin, boolean superAdmin) {

  public GroupParticipant {
    Objects.requireNonNull(jid, "jid == null");
    if (superAdmin && !admin) {
      throw new IllegalArgumentException("a super admin is an admin");
    }
  }

  @Override
  public String toString() {
    return "GroupParticipant[" + jid.masked() + (superAdmin ? ", superadmin" : admin ? ", admin" : "")
        + "]";
  }
}
