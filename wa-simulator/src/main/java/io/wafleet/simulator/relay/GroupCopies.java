package io.wafleet.simulator.relay;

import io.wafleet.client.binary.Node;
import io.wafleet.simulator.group.Group;
import io.wafleet.simulator.relay.Envelope.Rejected;
import io.wafleet.simulator.relay.Envelope.Target;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copies of one group message (§10.7): one per active device of every member except the
 * sending device, each with the pairwise {@code <enc>} addressed to it (the sender-key
 * distribution, when the sender gave one) followed by the shared {@code skmsg}, in that order
 * because receivers process the encs in stanza order (Baileys decode-wa-message.ts
 * {@code decryptMessageNode}). A retry resend (no shared enc) reaches only the devices it
 * addresses. Stateless; thread-safe.
 */
final class GroupCopies {

  private static final Logger log = LoggerFactory.getLogger(GroupCopies.class);

  private GroupCopies() {}

  /**
   * Copies keyed by routing key.
   *
   * @throws Rejected 403 when the sender is not a member, 400 when a participant entry names a
   *     device that is not a member's
   */
  static Map<String, Node> of(Directory directory, Group group, DeviceAddress sender,
      Envelope envelope, long now) throws Rejected {
    if (!group.isMember(sender.phone().number())) {
      throw new Rejected(403, "sender is not a member of the group");
    }
    Map<String, List<Node>> pairwise = new HashMap<>();
    for (Target target : envelope.targets()) {
      Optional<DeviceAddress> device = directory.device(target.device());
      if (device.isEmpty()) {
        log.info("group participant skipped sender={} target={} reason=no-such-device", sender,
            target.device().masked());
        continue;
      }
      if (!group.isMember(device.get().phone().number())) {
        throw new Rejected(400, "participant is not a device of a member");
      }
      pairwise.putIfAbsent(device.get().key(), target.encs());
    }
    boolean lidForm = "lid".equals(envelope.addressingMode());
    Map<String, Node> copies = new LinkedHashMap<>();
    for (DeviceAddress device : directory.devices(group)) {
      if (device.key().equals(sender.key())) {
        continue;
      }
      List<Node> encs = new ArrayList<>(pairwise.getOrDefault(device.key(), List.of()));
      encs.addAll(envelope.shared());
      if (!encs.isEmpty()) {
        copies.put(device.key(), RelayStanzas.groupDelivered(envelope, group, sender, lidForm,
            encs, now));
      }
    }
    return copies;
  }
}
