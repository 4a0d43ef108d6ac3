package io.wafleet.client.internal.messaging;

import com.google.protobuf.ByteString;
import io.wafleet.client.ClientConfig;
import io.wafleet.client.IqErrorException;
import io.wafleet.client.SendRejectedException;
import io.wafleet.client.binary.Node;
import io.wafleet.client.internal.DeviceAuth;
import io.wafleet.client.internal.NodeChannel;
import io.wafleet.client.model.GroupMetadata;
import io.wafleet.client.model.Jid;
import io.wafleet.client.proto.Message;
import io.wafleet.client.signal.CiphertextMessage;
import io.wafleet.client.signal.GroupCipher;
import io.wafleet.client.signal.NoSessionException;
import io.wafleet.client.signal.Padding;
import io.wafleet.client.signal.SenderKeyDistributionMessage;
import io.wafleet.client.signal.SenderKeyRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a text to a group (docs/protocol.md §10.4, §10.7; Baileys messages-send.ts
 * {@code relayMessage}, group branch): the group's metadata, usync for every member, our sender
 * key (made on first use, persisted), its distribution message pairwise to each member device
 * that does not have it yet (our own other devices included; sender-key memory, persisted),
 * and one {@code skmsg} for all. A member gone since the key was last used, or a
 * {@code w:gp2} removal ({@link #onMembersRemoved}), means a new key for everyone left. Inbound
 * thread only.
 */
final class GroupSender {

  private static final Logger log = LoggerFactory.getLogger(GroupSender.class);

  private final ClientConfig config;
  private final NodeChannel channel;
  private final DeviceAuth auth;
  private final MessagingState state;
  private final SignalSessions sessions;
  private final LidMappings lids;
  private final PreKeyFetch keys;
  private final SenderKeys senderKeys;
  private final Predicate<Jid> isMe;

  GroupSender(ClientConfig config, NodeChannel channel, DeviceAuth auth, MessagingState state,
      SignalSessions sessions, LidMappings lids, PreKeyFetch keys, Predicate<Jid> isMe) {
    this.config = config;
    this.channel = channel;
    this.auth = auth;
    this.state = state;
    this.sessions = sessions;
    this.lids = lids;
    this.keys = keys;
    this.senderKeys = new SenderKeys(auth.keys());
    this.isMe = isMe;
  }

  /** The group's metadata; a refused query fails with {@link IqErrorException} (403, 404). */
  CompletableFuture<GroupMetadata> metadata(Jid group) {
    return channel.query(GroupStanzas.metadataQuery(group), config.queryTimeout())
        .thenApply(reply -> GroupStanzas.parseMetadata(group, reply));
  }

  /** Prepares and writes {@code sent}; {@code devices[0]} gets the number of member devices. */
  CompletableFuture<Void> prepareAndWrite(MessagingState.SentText sent, int[] devices) {
    Jid group = sent.chat();
    return metadata(group).handle((meta, error) -> {
      if (error != null) {
        throw new CompletionException(refusal(unwrap(error)));
      }
      return meta;
    }).thenCompose(meta -> {
      Jid me = auth.credentials().me();
      if (!meta.isMember(me.toNonDevice())) {
        throw new SendRejectedException("not-a-member", "not a member of the group");
      }
      SenderKeys.Memory memory = senderKeys.memory(group);
      Set<Jid> members = new LinkedHashSet<>(meta.memberJids());
      if (!members.containsAll(memory.members())) {
        log.info("group member gone, new sender key group={}", group.masked());
        senderKeys.rekey(group, me);
        memory = SenderKeys.Memory.empty();
      }
      SenderKeys.Memory known = memory;
      return state.devices().devices(channel, config.queryTimeout(), lids, meta.memberJids())
          .thenCompose(byUser -> {
            List<Jid> all = new ArrayList<>();
            byUser.values().forEach(list -> list.stream().filter(isMe.negate())
                .forEach(all::add));
            List<Jid> lacking = all.stream().filter(d -> !known.devices().contains(d)).toList();
            return keys.ensure(lacking, false)
                .thenRun(() -> write(sent, meta, all, lacking, known, devices));
          });
    });
  }

  /** A member left (a {@code w:gp2} remove): our next message to the group uses a new key. */
  void onMembersRemoved(Jid group) {
    senderKeys.rekey(group, auth.credentials().me());
    log.info("group members removed, new sender key on next send group={}", group.masked());
  }

  private void write(MessagingState.SentText sent, GroupMetadata meta, List<Jid> all,
      List<Jid> lacking, SenderKeys.Memory known, int[] devices) {
    Jid group = sent.chat();
    Jid me = auth.credentials().me();
    SenderKeyRecord own = senderKeys.load(group, me);
    SenderKeyDistributionMessage distribution = GroupCipher.distributionMessage(own,
        config.random());
    byte[] plain = Message.newBuilder().setConversation(sent.text()).build().toByteArray();
    byte[] skmsg;
    try {
      skmsg = GroupCipher.encrypt(own, Padding.pad(plain, config.random()));
    } catch (NoSessionException e) {
      throw new IllegalStateException("own sender key unusable", e);
    }
    senderKeys.store(group, me, own);
    byte[] carrier = Message.newBuilder().setSenderKeyDistributionMessage(
        Message.SenderKeyDistributionMessage.newBuilder().setGroupId(group.toString())
            .setAxolotlSenderKeyDistributionMessage(ByteString.copyFrom(distribution.serialize())))
        .build().toByteArray();
    List<MessageStanzas.DeviceCopy> copies = new ArrayList<>();
    Set<Jid> holders = new LinkedHashSet<>(known.devices());
    holders.retainAll(all);
    for (Jid device : lacking) {
      try {
        CiphertextMessage cipher = sessions.encrypt(device, Padding.pad(carrier, config.random()));
        copies.add(new MessageStanzas.DeviceCopy(device, cipher.type().wireType(),
            cipher.serialized()));
        holders.add(device);
      } catch (NoSessionException e) {
        log.debug("group device skipped: no session device={}", device.masked());
      }
    }
    senderKeys.storeMemory(group, new SenderKeys.Memory(new LinkedHashSet<>(meta.memberJids()),
        holders));
    devices[0] = holders.size();
    state.rememberSent(sent);
    channel.send(GroupStanzas.message(sent.id().value(), group, meta.addressingMode(), skmsg,
        copies, auth.credentials().account()));
    log.debug("group message sent id={} group={} devices={} keyCopies={}", sent.id(),
        group.masked(), holders.size(), copies.size());
  }

  /**
   * A member device asks for a group message again (§9.4): a fresh session and the whole text
   * pairwise, {@code <message to=G participant=<device>><enc type count/></message>}, as Baileys
   * resends it (messages-send.ts {@code relayMessage}, {@code isRetryResend}).
   */
  void resend(MessagingState.SentText sent, Jid device, int count) {
    sessions.delete(device);
    keys.ensure(List.of(device), true).thenRun(() -> {
      byte[] plain = Message.newBuilder().setConversation(sent.text()).build().toByteArray();
      CiphertextMessage cipher;
      try {
        cipher = sessions.encrypt(device, Padding.pad(plain, config.random()));
      } catch (NoSessionException e) {
        log.debug("group resend skipped: no session device={}", device.masked());
        return;
      }
      String type = cipher.type().wireType();
      List<Node> children = new ArrayList<>();
      children.add(MessageStanzas.enc(type, cipher.serialized(), count));
      byte[] identity = auth.credentials().account();
      if ("pkmsg".equals(type) && identity != null) {
        children.add(Node.of("device-identity", Map.of(), identity));
      }
      channel.send(Node.of("message", Node.attrsOf("id", sent.id().value(),
          "to", sent.chat().toString(), "participant", device.toString(), "type", "text"),
          children));
    }).exceptionally(error -> {
      log.warn("group resend failed error={}", unwrap(error).toString());
      return null;
    });
  }

  private static Throwable refusal(Throwable error) {
    if (error instanceof IqErrorException iq && (iq.code() == 403 || iq.code() == 404)) {
      return new SendRejectedException(Integer.toString(iq.code()),
          iq.code() == 403 ? "not a member of the group" : "no such group");
    }
    return error;
  }

  private static Throwable unwrap(Throwable error) {
    return Sender.unwrap(error);
  }
}
