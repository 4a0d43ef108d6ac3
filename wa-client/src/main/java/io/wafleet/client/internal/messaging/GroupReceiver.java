package io.wafleet.client.internal.messaging;

import io.wafleet.client.ClientConfig;
import io.wafleet.client.binary.Node;
import io.wafleet.client.internal.DeviceAuth;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.message.MessageContents;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.client.proto.Message;
import io.wafleet.client.signal.DecryptionCallback;
import io.wafleet.client.signal.DuplicateMessageException;
import io.wafleet.client.signal.GroupCipher;
import io.wafleet.client.signal.InvalidKeyIdException;
import io.wafleet.client.signal.InvalidMessageException;
import io.wafleet.client.signal.NoSessionException;
import io.wafleet.client.signal.Padding;
import io.wafleet.client.signal.SenderKeyDistributionMessage;
import io.wafleet.client.signal.SenderKeyRecord;
import io.wafleet.client.signal.UntrustedIdentityException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives group messages (docs/protocol.md §10.4, §10.7; Baileys decode-wa-message.ts):
 * {@code <message from=G participant=<author device>>} with an optional pairwise
 * {@code pkmsg}/{@code msg} (its {@code Message.senderKeyDistributionMessage} is stored per
 * (group, author device) before the advanced session; a text in it, as a resend carries, is
 * delivered) and an {@code skmsg} decrypted with {@link GroupCipher}. The decrypted message is
 * stored as unacknowledged before the advanced sender key, so acknowledge-after-store works as
 * for 1:1 (§13); receipts go to the group with the author as {@code participant}. A failure
 * (unknown sender key, bad signature, …) gives {@code DecryptionFailed} and a retry receipt
 * through the {@link Receiver}. Inbound thread only.
 */
final class GroupReceiver {

  private static final Logger log = LoggerFactory.getLogger(GroupReceiver.class);

  private final Receiver receiver;
  private final ClientConfig config;
  private final DeviceAuth auth;
  private final MessagingState state;
  private final SignalSessions sessions;
  private final LidMappings lids;
  private final UnackedMessages unacked;
  private final SenderKeys senderKeys;

  GroupReceiver(Receiver receiver, ClientConfig config, DeviceAuth auth, MessagingState state,
      SignalSessions sessions, LidMappings lids, UnackedMessages unacked) {
    this.receiver = receiver;
    this.config = config;
    this.auth = auth;
    this.state = state;
    this.sessions = sessions;
    this.lids = lids;
    this.unacked = unacked;
    this.senderKeys = new SenderKeys(auth.keys());
  }

  void onMessage(Node stanza, String id, Jid group) {
    Jid participant = Jid.tryParse(stanza.attr("participant"));
    List<Node> encs = new ArrayList<>();
    Node skmsg = null;
    for (Node enc : stanza.children("enc")) {
      if ("skmsg".equals(enc.attr("type"))) {
        skmsg = enc.bytes() == null ? skmsg : enc;
      } else if (enc.bytes() != null) {
        encs.add(enc);
      }
    }
    if (participant == null || !(participant.isUser() || participant.isLid())
        || (encs.isEmpty() && skmsg == null)) {
      log.warn("group message ignored id={} reason={}", id,
          participant == null ? "no-valid-participant" : "no-enc");
      receiver.fail(stanza, id, participant == null ? group : participant,
          new Receiver.Failure("invalid-message", null));
      return;
    }
    Jid author = Receiver.device(participant);
    String key = MessagingState.key(author, id);
    if (receiver.duplicate(key, id, author, group)) {
      return;
    }
    if (state.unackedFull()) {
      log.warn("unacked limit reached, group message left for redelivery id={} sender={} limit={}",
          id, author.masked(), state.maxUnacked());
      return;
    }
    UnackedMessageRecord pairwise = null;
    for (Node enc : encs) {
      try {
        pairwise = decryptPairwise(stanza, id, group, author, enc);
      } catch (DuplicateMessageException e) {
        // The key carrier was processed before a crash; its sender key is stored already.
        log.debug("group key carrier seen before id={} sender={}", id, author.masked());
      } catch (Receiver.Failure e) {
        receiver.fail(stanza, id, author, e);
        return;
      }
    }
    if (skmsg == null) {
      if (pairwise != null) {
        receiver.deliver(pairwise, key);
      } else {
        receiver.onUsedKey(stanza, id, author, key, group);
      }
      return;
    }
    try {
      receiver.deliver(decryptGroup(stanza, id, group, author, skmsg.bytes()), key);
    } catch (DuplicateMessageException e) {
      receiver.onUsedKey(stanza, id, author, key, group);
    } catch (Receiver.Failure e) {
      receiver.fail(stanza, id, author, e);
    }
  }

  private UnackedMessageRecord decryptPairwise(Node stanza, String id, Jid group, Jid author,
      Node enc) throws Receiver.Failure, DuplicateMessageException {
    String encType = enc.attrOr("type", "");
    KeyCarrier carrier = new KeyCarrier(stanza, id, group, author, encType);
    try {
      switch (encType) {
        case "pkmsg" -> sessions.decryptPreKey(author, enc.bytes(), carrier);
        case "msg" -> {
          if (!sessions.has(author)) {
            throw new NoSessionException("no session");
          }
          sessions.decrypt(author, enc.bytes(), carrier);
        }
        default -> throw new Receiver.Failure("unknown-enc-type", null);
      }
    } catch (NoSessionException e) {
      throw new Receiver.Failure("no-session", e);
    } catch (InvalidKeyIdException e) {
      throw new Receiver.Failure("unknown-prekey", e);
    } catch (InvalidMessageException | UntrustedIdentityException e) {
      throw new Receiver.Failure("invalid-message", e);
    }
    if (carrier.failure != null) {
      throw carrier.failure;
    }
    return carrier.record;
  }

  /**
   * Stores the sender key a pairwise message carries, and a text it carries as unacknowledged,
   * before its session is stored.
   */
  private final class KeyCarrier implements DecryptionCallback {
    private final Node stanza;
    private final String id;
    private final Jid group;
    private final Jid author;
    private final String encType;
    UnackedMessageRecord record;
    Receiver.Failure failure;

    KeyCarrier(Node stanza, String id, Jid group, Jid author, String encType) {
      this.stanza = stanza;
      this.id = id;
      this.group = group;
      this.author = author;
      this.encType = encType;
    }

    @Override
    public void handlePlaintext(byte[] padded) {
      try {
        byte[] plaintext = Padding.unpad(padded);
        MessageContents.Parsed parsed = Receiver.parse(plaintext);
        Message message = parsed.message();
        if (message.hasSenderKeyDistributionMessage()) {
          processDistribution(group, author, message.getSenderKeyDistributionMessage());
        }
        record = new UnackedMessageRecord(incoming(stanza, id, group, author, encType, parsed),
            null, plaintext);
        if (!(parsed.content() instanceof MessageContent.Protocol)) {
          unacked.store(record);
        }
      } catch (InvalidMessageException e) {
        failure = new Receiver.Failure("bad-padding", e);
      } catch (Receiver.Failure e) {
        failure = e;
      }
    }
  }

  /** Stores the author's sender key (§10.4); one for another group is refused. */
  private void processDistribution(Jid group, Jid author,
      Message.SenderKeyDistributionMessage carried) throws Receiver.Failure {
    if (carried.hasGroupId() && !group.toString().equals(carried.getGroupId())) {
      throw new Receiver.Failure("invalid-message", null);
    }
    SenderKeyDistributionMessage distribution;
    try {
      distribution = SenderKeyDistributionMessage.parse(
          carried.getAxolotlSenderKeyDistributionMessage().toByteArray());
    } catch (InvalidMessageException e) {
      throw new Receiver.Failure("bad-sender-key", e);
    }
    SenderKeyRecord record = senderKeys.load(group, author);
    GroupCipher.process(record, distribution);
    senderKeys.store(group, author, record);
    log.debug("sender key stored group={} sender={}", group.masked(), author.masked());
  }

  private UnackedMessageRecord decryptGroup(Node stanza, String id, Jid group, Jid author,
      byte[] skmsg) throws Receiver.Failure, DuplicateMessageException {
    SenderKeyRecord record = senderKeys.load(group, author);
    byte[] padded;
    try {
      padded = GroupCipher.decrypt(record, skmsg);
    } catch (NoSessionException e) {
      throw new Receiver.Failure("no-sender-key", e);
    } catch (InvalidMessageException e) {
      throw new Receiver.Failure(isBadSignature(e) ? "bad-signature" : "invalid-message", e);
    }
    byte[] plaintext;
    try {
      plaintext = Padding.unpad(padded);
    } catch (InvalidMessageException e) {
      senderKeys.store(group, author, record);
      throw new Receiver.Failure("bad-padding", e);
    }
    MessageContents.Parsed parsed;
    try {
      parsed = Receiver.parse(plaintext);
    } catch (Receiver.Failure e) {
      senderKeys.store(group, author, record);
      throw e;
    }
    UnackedMessageRecord out = new UnackedMessageRecord(
        incoming(stanza, id, group, author, "skmsg", parsed), null, plaintext);
    if (!(parsed.content() instanceof MessageContent.Protocol)) {
      unacked.store(out);
    }
    senderKeys.store(group, author, record);
    return out;
  }

  private static boolean isBadSignature(Throwable e) {
    return e.getMessage() != null && e.getMessage().contains("signature");
  }

  private IncomingMessage incoming(Node stanza, String id, Jid group, Jid author, String encType,
      MessageContents.Parsed parsed) {
    Jid pn = null;
    Jid lid = null;
    if (author.isUser()) {
      pn = author.toNonDevice();
      Jid given = Jid.tryParse(stanza.attr("participant_lid"));
      lid = given != null && given.isLid() ? given.toNonDevice() : lids.lidOf(author).orElse(null);
    } else if (author.isLid()) {
      lid = author.toNonDevice();
      Jid given = Jid.tryParse(stanza.attr("participant_pn"));
      pn = given != null && given.isUser() ? given.toNonDevice()
          : lids.phoneNumberOf(author).orElse(null);
    }
    return new IncomingMessage(new MessageId(id), group, author, receiver.isOwn(author),
        receiver.timestamp(stanza), stanza.attr("notify"), parsed.content(),
        "1".equals(stanza.attr("offline")), encType, pn, lid);
  }
}
