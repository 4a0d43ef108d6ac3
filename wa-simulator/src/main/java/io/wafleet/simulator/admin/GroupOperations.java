package io.wafleet.simulator.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.wafleet.simulator.group.Group;
import io.wafleet.simulator.group.Groups;
import io.wafleet.simulator.relay.Relay;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The admin API's group endpoints (docs/protocol.md §10.7): create a group, read it, add and remove
 * members (each change also sent to the members' devices as {@code w:gp2}). Returns JSON-ready
 * maps; throws {@link AdminApiException} or {@code GroupException}. Thread-safe.
 */
public final class GroupOperations {

  private final Groups groups;
  private final Relay relay;

  public GroupOperations(Groups groups, Relay relay) {
    this.groups = groups;
    this.relay = relay;
  }

  /**
   * {@code POST /groups {"subject","creator","participants":[...]}} → 201 the group: the creator
   * and the participants are members, the creator its admin.
   */
  Map<String, Object> create(JsonNode body) {
    String subject = text(body, "subject");
    String creator = text(body, "creator");
    List<String> participants = numbers(body, "participants", true);
    return json(groups.create(subject, creator, participants));
  }

  /** {@code GET /groups/{jid}} → 200 the group. */
  Map<String, Object> get(String jid) {
    return json(groups.get(jid));
  }

  /**
   * {@code POST /groups/{jid}/participants {"add":[...],"remove":[...]}} → 200 the group after the
   * change, with {@code added} and {@code removed} (what actually changed); members' devices get
   * the {@code w:gp2} notifications, removed members' devices the removal too.
   */
  Map<String, Object> participants(String jid, JsonNode body) {
    if (!body.has("add") && !body.has("remove")) {
      throw AdminApiException.badRequest("missing-field", "add or remove is required", "add");
    }
    List<String> add = body.has("add") ? numbers(body, "add", false) : List.of();
    List<String> remove = body.has("remove") ? numbers(body, "remove", false) : List.of();
    Groups.Change change = groups.change(jid, add, remove);
    Group group = change.group();
    relay.notifyGroupChange(group, group.creator(), "remove", change.removed(), change.removed());
    relay.notifyGroupChange(group, group.creator(), "add", change.added(), List.of());
    Map<String, Object> out = json(group);
    out.put("added", change.added());
    out.put("removed", change.removed());
    return out;
  }

  static Map<String, Object> json(Group group) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", group.jid().toString());
    out.put("subject", group.subject());
    out.put("creator", group.creator());
    out.put("creation", group.creation());
    out.put("members", group.members());
    return out;
  }

  private static List<String> numbers(JsonNode body, String field, boolean required) {
    JsonNode value = body.get(field);
    if (value == null && !required) {
      return List.of();
    }
    if (value == null || !value.isArray() || value.size() > Groups.MAX_MEMBERS) {
      throw AdminApiException.badRequest("bad-" + field, field + " must be an array of at most "
          + Groups.MAX_MEMBERS + " phone numbers", field);
    }
    List<String> out = new ArrayList<>();
    for (JsonNode each : value) {
      if (!each.isTextual() || !each.asText().matches("[0-9]{1,20}")) {
        throw AdminApiException.badRequest("bad-" + field, "each entry must be a phone number",
            field);
      }
      out.add(each.asText());
    }
    return out;
  }

  private static String text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual()) {
      throw AdminApiException.badRequest("missing-field", field + " must be a string", field);
    }
    return value.asText();
  }
}
