package io.wafleet.simulator.relay;

import com.google.protobuf.ByteString;
import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.client.proto.Message;
import io.wafleet.client.signal.GroupCipher;
import io.wafleet.client.signal.NoSessionException;
import io.wafleet.client.signal.Padding;
import io.wafleet.client.signal.SenderKeyRecord;
import io.wafleet.simulator.group.Group;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated phone's sending side for groups (§10.4, §10.7), as Baileys' relayMessage does it:
 * lists the member devices, sends its sender key ({@code Message.senderKeyDistributionMessage},
 * pairwise pkmsg/msg through {@link PhoneSender}) to each device that does not have it yet, and
 * the text once as {@code skmsg} for all. Unlike Baileys, it makes a new sender key before its next
 * group message whenever a device it gave its key to is no longer a member's (a member was removed
 * or a companion unlinked), so that a removed member cannot read what follows. A retry receipt
 * from a member device gets the text again pairwise, with the key, to that device only.
 *
 * <p>Not thread-safe: confined to the phones' thread.
 */
final class PhoneGroupSender {

  private static final Logger log = LoggerFactory.getLogger(PhoneGroupSender.class);
  private static final int REMEMBERED = 1000;

  private final DeviceAddress self;
  private final PhoneSender pairwise;
  private final Relay relay;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, State> states = new HashMap<>();
  private final Map<String, String> sentTexts = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** Our sending key for one group and the devices (routing keys) that have it. */
  private static final class State {
    SenderKeyRecord own = new SenderKeyRecord();
    final Set<String> distributed = new HashSet<>();
    int generation;

    void rotate() {
      own = new SenderKeyRecord();
      distributed.clear();
      generation++;
    }
  }

  PhoneGroupSender(DeviceAddress self, PhoneSender pairwise, Relay relay, Clock clock) {
    this.self = self;
    this.pairwise = pairwise;
    this.relay = relay;
    this.clock = clock;
  }

  /**
   * Sends a text to a group; returns the message id. {@code tamper}: {@link Tamper#BAD_SIGNATURE}
   * damages the skmsg's signature, {@link Tamper#NO_SENDER_KEY} leaves out the key distribution.
   */
  String send(Jid groupJid, String text, Tamper tamper) throws PhoneSender.Refused {
    Group group = relay.directory().group(groupJid)
        .orElseThrow(() -> new PhoneSender.Refused("unknown-group"));
    if (!group.isMember(self.phone().number())) {
      throw new PhoneSender.Refused("not-a-member");
    }
    State state = states.computeIfAbsent(group.jid().toString(), k -> new State());
    List<DeviceAddress> devices = relay.directory().devices(group).stream()
        .filter(device -> !device.key().equals(self.key())).toList();
    Set<String> current = new HashSet<>();
    devices.forEach(device -> current.add(device.key()));
    if (!current.containsAll(state.distributed)) {
      state.rotate();
      log.info("phone made a new sender key phone={} generation={} reason=device-left-group",
          self, state.generation);
    }
    Message keyMessage = keyMessage(group, state);
    List<Node> participants = new ArrayList<>();
    List<String> given = new ArrayList<>();
    if (tamper != Tamper.NO_SENDER_KEY) {
      for (DeviceAddress device : devices) {
        if (!state.distributed.contains(device.key())) {
          participants.add(pairwise.participant(device, false, keyMessage, Tamper.NONE));
          given.add(device.key());
        }
      }
    }
    byte[] skmsg = encrypt(state, Message.newBuilder().setConversation(text).build());
    if (tamper == Tamper.BAD_SIGNATURE) {
      skmsg[skmsg.length - 1] ^= 0x01;
    }
    String id = MessageId.generate(self.pn(), clock.instant(), random).value();
    List<Node> children = new ArrayList<>();
    if (!participants.isEmpty()) {
      children.add(Node.of("participants", Map.of(), participants));
    }
    children.add(Node.of("enc", Node.attrsOf("v", "2", "type", "skmsg"), skmsg));
    Node ack = relay.submitMessage(self, Node.of("message", Node.attrsOf("id", id,
        "to", group.jid().toString(), "type", "text", "addressing_mode", "pn"), children));
    if (ack.attr("error") != null) {
      throw new PhoneSender.Refused("relay-error-" + ack.attr("error"));
    }
    state.distributed.addAll(given);
    sentTexts.put(id, text);
    log.info("phone sent group message phone={} devices={} keysGiven={}", self, devices.size(),
        given.size());
    return id;
  }

  /**
   * A retry receipt from {@code requester} for group message {@code id} (§9.4): a new session,
   * then the text and our current sender key pairwise to that device only
   * ({@code <message to=G participant=DEV>}, as Baileys resends); false if unknown.
   */
  boolean resend(String id, Jid groupJid, Jid requester) throws PhoneSender.Refused {
    String text = sentTexts.get(id);
    Optional<Group> group = relay.directory().group(groupJid);
    Optional<DeviceAddress> device = relay.directory().device(requester);
    if (text == null || group.isEmpty() || device.isEmpty()
        || !group.get().isMember(device.get().phone().number())) {
      return false;
    }
    State state = states.computeIfAbsent(group.get().jid().toString(), k -> new State());
    pairwise.forgetSession(device.get());
    Message content = keyMessage(group.get(), state).toBuilder().setConversation(text).build();
    Node participant = pairwise.participant(device.get(), requester.isLid(), content, Tamper.NONE);
    Node ack = relay.submitMessage(self, Node.of("message", Node.attrsOf("id", id,
        "to", group.get().jid().toString(), "participant", requester.toString(), "type", "text",
        "addressing_mode", "pn"), participant.children()));
    if (ack.attr("error") != null) {
      return false;
    }
    state.distributed.add(device.get().key());
    return true;
  }

  private Message keyMessage(Group group, State state) {
    byte[] skdm = GroupCipher.distributionMessage(state.own, random).serialize();
    return Message.newBuilder().setSenderKeyDistributionMessage(
        Message.SenderKeyDistributionMessage.newBuilder().setGroupId(group.jid().toString())
            .setAxolotlSenderKeyDistributionMessage(ByteString.copyFrom(skdm))).build();
  }

  private byte[] encrypt(State state, Message message) throws PhoneSender.Refused {
    try {
      return GroupCipher.encrypt(state.own, Padding.pad(message.toByteArray(), random));
    } catch (NoSessionException e) {
      throw new PhoneSender.Refused("no-sender-key");
    }
  }
}
