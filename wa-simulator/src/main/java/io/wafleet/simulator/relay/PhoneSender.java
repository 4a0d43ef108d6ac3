package io.wafleet.simulator.relay;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.client.proto.Message;
import io.wafleet.client.signal.CiphertextMessage;
import io.wafleet.client.signal.InMemorySignalProtocolStore;
import io.wafleet.client.signal.InvalidKeyException;
import io.wafleet.client.signal.NoSessionException;
import io.wafleet.client.signal.Padding;
import io.wafleet.client.signal.PreKeyBundle;
import io.wafleet.client.signal.SessionBuilder;
import io.wafleet.client.signal.SessionCipher;
import io.wafleet.client.signal.SignalAddress;
import io.wafleet.client.signal.UntrustedIdentityException;
import io.wafleet.simulator.phone.Phone;
import io.wafleet.simulator.relay.KeyBundles.Bundle;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A simulated phone's sending side (§8): lists the recipient's and its own devices, fetches
 * bundles for devices without a session (consuming one-time pre-keys like a network fetch),
 * encrypts {@code Message{conversation}} (a device-sent copy for its own companions, §8.6),
 * and submits the stanza to the relay. Answers retry receipts by resending to that device (§9.4).
 *
 * <p>Not thread-safe: confined to the phones' thread.
 */
final class PhoneSender {

  /** The send cannot happen; {@code reason} is a kebab code. */
  static final class Refused extends Exception {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  private static final int REMEMBERED = 1000;

  private final DeviceAddress self;
  private final InMemorySignalProtocolStore store;
  private final Relay relay;
  private final KeyBundles keys;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Sent> sent = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** What a sent id carried: for retry resends, and the stanza itself for replays. */
  private record Sent(Jid chat, String text, Node stanza) {}

  PhoneSender(DeviceAddress self, InMemorySignalProtocolStore store, Relay relay, KeyBundles keys,
      Clock clock) {
    this.self = self;
    this.store = store;
    this.relay = relay;
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * Sends a text to a user (PN or LID); returns the message id. {@code tamper} damages the copies
   * for the recipient's devices (not the device-sent copies for our own companions).
   */
  String send(Jid to, String text, Tamper tamper) throws Refused {
    Directory directory = relay.directory();
    Phone target = directory.account(to).orElseThrow(() -> new Refused("unknown-recipient"));
    boolean lidForm = to.isLid();
    Jid chat = to.toNonDevice();
    Message plain = Message.newBuilder().setConversation(text).build();
    Message dsm = Message.newBuilder().setDeviceSentMessage(Message.DeviceSentMessage.newBuilder()
        .setDestinationJid(chat.toString()).setMessage(plain)).build();
    List<Node> participants = new ArrayList<>();
    for (DeviceAddress device : directory.devices(target)) {
      if (!device.key().equals(self.key())) {
        boolean own = device.sameAccount(self);
        participants.add(participant(device, lidForm, own ? dsm : plain, own ? Tamper.NONE : tamper));
      }
    }
    if (target != self.phone()) {
      for (DeviceAddress own : directory.devices(self.phone())) {
        if (own.deviceId() != 0) {
          participants.add(participant(own, lidForm, dsm, Tamper.NONE));
        }
      }
    }
    String id = MessageId.generate(self.pn(), clock.instant(), random).value();
    Node stanza = Node.of("message", Node.attrsOf("id", id, "to", chat.toString(), "type", "text"),
        List.of(Node.of("participants", Map.of(), participants)));
    Node ack = relay.submitMessage(self, stanza);
    if (ack.attr("error") != null) {
      throw new Refused("relay-error-" + ack.attr("error"));
    }
    sent.put(id, new Sent(chat, text, stanza));
    return id;
  }

  /**
   * Sends {@code message} (a serialized {@code Message}) to one of our own companions as a peer
   * message: {@code <message to="companion device" type="text" category="peer"><enc/></message>},
   * as Baileys sends its own peer messages (messages-send.ts {@code sendPeerDataOperationMessage});
   * returns the id.
   */
  String sendPeer(Jid companion, byte[] message) throws Refused {
    DeviceAddress device = relay.directory().device(companion)
        .orElseThrow(() -> new Refused("unknown-device"));
    if (!device.sameAccount(self) || device.deviceId() == 0) {
      throw new Refused("not-an-own-companion");
    }
    SignalAddress address = address(device);
    Node enc;
    try {
      if (!store.containsSession(address)) {
        Bundle bundle = keys.fetch(device.lid()).orElseThrow(() -> new Refused("no-bundle"));
        new SessionBuilder(store, address).process(toSignal(bundle));
      }
      CiphertextMessage cipher = new SessionCipher(store, address)
          .encrypt(Padding.pad(message, random));
      enc = Node.of("enc", Node.attrsOf("v", "2", "type", cipher.type().wireType()),
          cipher.serialized());
    } catch (InvalidKeyException | UntrustedIdentityException | NoSessionException e) {
      throw new Refused("session-failed");
    }
    String id = MessageId.generate(self.pn(), clock.instant(), random).value();
    Node stanza = Node.of("message", Node.attrsOf("id", id, "to", device.jid(false).toString(),
        "type", "text", "category", "peer"), List.of(enc));
    Node ack = relay.submitMessage(self, stanza);
    if (ack.attr("error") != null) {
      throw new Refused("relay-error-" + ack.attr("error"));
    }
    return id;
  }

  /** Submits the stanza of an earlier send again, byte for byte (a replay); false if unknown. */
  boolean replay(String id) {
    Sent original = sent.get(id);
    return original != null && relay.submitMessage(self, original.stanza()).attr("error") == null;
  }

  /** A retry receipt from {@code requester} (§9.4): new session, then the same id to that device only. */
  boolean resend(String id, Jid requester) throws Refused {
    Sent original = sent.get(id);
    Optional<DeviceAddress> device = relay.directory().device(requester);
    if (original == null || device.isEmpty()) {
      return false;
    }
    store.deleteSession(address(device.get()));
    Message plain = Message.newBuilder().setConversation(original.text()).build();
    boolean own = device.get().sameAccount(self);
    Message content = own ? Message.newBuilder().setDeviceSentMessage(
        Message.DeviceSentMessage.newBuilder().setDestinationJid(original.chat().toString())
            .setMessage(plain)).build() : plain;
    Node participant = participant(device.get(), requester.isLid(), content, Tamper.NONE);
    Map<String, String> attrs = Node.attrsOf("id", id, "to", requester.toString(), "type", "text",
        "device_fanout", "false");
    if (own) {
      attrs.put("recipient", original.chat().toString());
    }
    Node ack = relay.submitMessage(self, Node.of("message", attrs, participant.children()));
    return ack.attr("error") == null;
  }

  /** Forgets the session with the device: the next message to it opens a new one (§9.4). */
  void forgetSession(DeviceAddress device) {
    store.deleteSession(address(device));
  }

  /** {@code <to jid><enc v=2 type/></to>}: the content encrypted for one device. */
  Node participant(DeviceAddress device, boolean lidForm, Message content, Tamper tamper)
      throws Refused {
    SignalAddress address = address(device);
    if (tamper == Tamper.NO_SESSION) {
      store.deleteSession(address);
    }
    try {
      if (!store.containsSession(address)) {
        Bundle bundle = keys.fetch(device.lid()).orElseThrow(() -> new Refused("no-bundle"));
        new SessionBuilder(store, address).process(toSignal(bundle));
      }
      CiphertextMessage cipher = new SessionCipher(store, address)
          .encrypt(Padding.pad(content.toByteArray(), random));
      Tamper.Enc enc = tamper.apply(cipher.type().wireType(), cipher.serialized());
      return Node.of("to", Node.attrsOf("jid", device.jid(lidForm).toString()), List.of(
          Node.of("enc", Node.attrsOf("v", "2", "type", enc.type()), enc.bytes())));
    } catch (InvalidKeyException | UntrustedIdentityException | NoSessionException e) {
      throw new Refused("session-failed");
    }
  }

  /** Sessions are keyed by the LID form, as Baileys does (§5 LID-first storage). */
  static SignalAddress address(DeviceAddress device) {
    return new SignalAddress(device.phone().lid().user() + "_" + Jid.DOMAIN_LID,
        device.deviceId());
  }

  private static PreKeyBundle toSignal(Bundle bundle) {
    return new PreKeyBundle(bundle.registrationId(), bundle.device().deviceId(),
        bundle.preKey() == null ? null : bundle.preKey().id(),
        bundle.preKey() == null ? null : bundle.preKey().publicKey(),
        bundle.signedPreKey().id(), bundle.signedPreKey().publicKey(),
        bundle.signedPreKey().signature(), bundle.identityKey());
  }
}
