package io.wafleet.simulator.relay;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.binary.Node;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.message.MessageContents;
import io.wafleet.client.model.Jid;
import io.wafleet.client.proto.Message;
import io.wafleet.client.signal.DuplicateMessageException;
import io.wafleet.client.signal.GroupCipher;
import io.wafleet.client.signal.InvalidKeyIdException;
import io.wafleet.client.signal.InvalidMessageException;
import io.wafleet.client.signal.NoSessionException;
import io.wafleet.client.signal.Padding;
import io.wafleet.client.signal.SenderKeyDistributionMessage;
import io.wafleet.client.signal.SenderKeyRecord;
import io.wafleet.client.signal.UntrustedIdentityException;
import io.wafleet.simulator.phone.Phone;
import io.wafleet.simulator.relay.PhoneInbox.Entry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated phone's receiving side for group messages (§10.4, §10.7): reads the encs in stanza
 * order, as Baileys' decryptMessageNode does: a pairwise pkmsg/msg first (its
 * {@code senderKeyDistributionMessage} teaches the sender's key; a retry resend carries the text
 * itself), then the {@code skmsg}, decrypted with wa-client's {@link GroupCipher}. The text is
 * recorded in the {@link PhoneInbox} with the group as chat and the sender device as
 * {@code from}, and answered with {@code <receipt id to=G participant=S/>}. A failure (no key for
 * the sender: {@code no-sender-key}; bad signature or malformed: {@code invalid-message}; ...) is
 * recorded with its reason and answered with a retry receipt, as for 1:1 messages (§9.4).
 *
 * <p>Not thread-safe: confined to the phones' thread.
 */
final class PhoneGroupReceiver {

  private static final Logger log = LoggerFactory.getLogger(PhoneGroupReceiver.class);

  private final DeviceAddress self;
  private final PhoneReceiver pairwise;
  private final Relay relay;
  private final PhoneInbox inbox;
  /** Senders' keys by {@code group/number:device}. */
  private final Map<String, SenderKeyRecord> senderKeys = new HashMap<>();

  PhoneGroupReceiver(DeviceAddress self, PhoneReceiver pairwise, Relay relay, PhoneInbox inbox) {
    this.self = self;
    this.pairwise = pairwise;
    this.relay = relay;
    this.inbox = inbox;
  }

  /** A decryption step failed: why, and whether the sender should start a new session. */
  private static final class Failed extends Exception {
    private final String reason;
    private final boolean noSession;

    Failed(String reason, boolean noSession) {
      super(reason, null, false, false);
      this.reason = reason;
      this.noSession = noSession;
    }
  }

  void receive(Node message) {
    String id = message.attrOr("id", "");
    Jid group = Jid.tryParse(message.attr("from"));
    Jid participant = Jid.tryParse(message.attr("participant"));
    Optional<Phone> account = relay.directory().account(participant);
    List<Node> encs = message.children("enc");
    if (participant == null || account.isEmpty() || encs.isEmpty()) {
      log.info("phone ignored group message phone={} reason=no-participant-or-enc", self);
      relay.acknowledge(self, List.of(id));
      return;
    }
    DeviceAddress sender = new DeviceAddress(account.get(), participant.deviceId());
    long t = Long.parseLong(message.attrOr("t", "0"));
    String types = String.join("+", encs.stream().map(enc -> enc.attrOr("type", "")).toList());
    Optional<Entry> seen = inbox.find(participant.toString(), id);
    if (seen.isPresent() && !seen.get().failed()) {
      receipt(id, group, participant, sender);
      return;
    }
    try {
      MessageContent content = null;
      for (Node enc : encs) {
        MessageContent got = decrypt(group, sender, enc);
        if (got != null && !(got instanceof MessageContent.Protocol)) {
          content = got;
        }
      }
      if (content == null) {
        content = new MessageContent.Protocol("senderKeyDistributionMessage");
      }
      inbox.record(entry(message, id, participant, group, content, t, types));
      receipt(id, group, participant, sender);
    } catch (Failed e) {
      log.info("phone could not decrypt group message from={} reason={}", participant.masked(),
          e.reason);
      inbox.record(new Entry(0, id, participant.toString(), group.toString(), null, null, t,
          types, e.reason, null, null));
      if ("duplicate-message".equals(e.reason)) {
        relay.acknowledge(self, List.of(id));
        return;
      }
      Map<String, String> attrs = Node.attrsOf("id", id, "type", "retry", "to", group.toString(),
          "participant", participant.toString());
      pairwise.retry(message, participant.toString(), attrs, e.noSession);
    }
  }

  /** One enc: the content it carried (null for none), after learning any sender key in it. */
  private MessageContent decrypt(Jid group, DeviceAddress sender, Node enc) throws Failed {
    String type = enc.attrOr("type", "");
    try {
      byte[] padded = switch (type) {
        case "pkmsg", "msg" -> pairwise.decrypt(sender, type, enc.bytes());
        case "skmsg" -> {
          SenderKeyRecord record = senderKeys.get(key(group, sender));
          if (record == null) {
            throw new Failed("no-sender-key", false);
          }
          yield GroupCipher.decrypt(record, enc.bytes() == null ? new byte[0] : enc.bytes());
        }
        default -> throw new Failed("unsupported-enc-type", false);
      };
      MessageContents.Parsed parsed = MessageContents.parse(Padding.unpad(padded));
      learn(group, sender, parsed.message());
      return parsed.content();
    } catch (NoSessionException e) {
      throw "skmsg".equals(type) ? new Failed("no-sender-key", false) : new Failed("no-session", true);
    } catch (DuplicateMessageException e) {
      throw new Failed("duplicate-message", false);
    } catch (InvalidMessageException | InvalidKeyIdException | UntrustedIdentityException
        | InvalidProtocolBufferException | PhoneReceiver.UnsupportedEnc e) {
      throw new Failed(PhoneReceiver.reason(e), false);
    }
  }

  /** Processes a {@code senderKeyDistributionMessage} for this group, if the message has one. */
  private void learn(Jid group, DeviceAddress sender, Message message)
      throws InvalidMessageException {
    if (!message.hasSenderKeyDistributionMessage()) {
      return;
    }
    Message.SenderKeyDistributionMessage skdm = message.getSenderKeyDistributionMessage();
    if (skdm.hasGroupId() && !group.toString().equals(skdm.getGroupId())) {
      log.info("phone ignored a sender key for another group phone={}", self);
      return;
    }
    GroupCipher.process(senderKeys.computeIfAbsent(key(group, sender), k -> new SenderKeyRecord()),
        SenderKeyDistributionMessage.parse(
            skdm.getAxolotlSenderKeyDistributionMessage().toByteArray()));
  }

  private static String key(Jid group, DeviceAddress sender) {
    return group.toNonDevice() + "/" + sender.key();
  }

  private static Entry entry(Node message, String id, Jid participant, Jid group,
      MessageContent content, long t, String types) {
    String text = content instanceof MessageContent.Text textContent ? textContent.text() : null;
    String unsupported = content instanceof MessageContent.Unsupported u ? u.type()
        : content instanceof MessageContent.Protocol p ? "protocol:" + p.type() : null;
    return new Entry(0, id, participant.toString(), group.toString(), text, unsupported, t, types,
        null, message.attr("notify"),
        message.attrOr("participant_lid", message.attr("participant_pn")));
  }

  /** Delivery receipt for a group message (§10.7); {@code sender} type for own devices' copies. */
  private void receipt(String id, Jid group, Jid participant, DeviceAddress sender) {
    Map<String, String> attrs = Node.attrsOf("id", id, "to", group.toString(),
        "participant", participant.toString());
    if (sender.sameAccount(self)) {
      attrs.put("type", "sender");
    }
    relay.submitReceipt(self, Node.of("receipt", attrs));
  }
}
