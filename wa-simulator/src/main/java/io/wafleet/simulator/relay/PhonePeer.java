package io.wafleet.simulator.relay;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.client.signal.InMemorySignalProtocolStore;
import io.wafleet.client.signal.PreKeyRecord;
import io.wafleet.client.signal.SignedPreKeyRecord;
import io.wafleet.simulator.phone.Phone;
import io.wafleet.simulator.phone.PreKeys.DeviceKeys;
import io.wafleet.simulator.phone.PreKeys.PreKey;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated phone as a full Signal peer on device 0 (§10): its store holds the phone's identity,
 * signed pre-key and pre-keys ({@link Phone#primaryKeys()}); it is the relay's {@link Endpoint}
 * for device 0 and sends through the relay like any client.
 *
 * <p>Thread-safe: stanzas from the relay are handed to the phones' single thread, and
 * {@link PhonePeers} runs sends on that thread too, so the Signal state is confined to it.
 */
final class PhonePeer implements Endpoint {

  private static final Logger log = LoggerFactory.getLogger(PhonePeer.class);

  private final DeviceAddress self;
  private final Executor phonesThread;
  private final PhoneInbox inbox = new PhoneInbox();
  private final PhoneSender sender;
  private final PhoneGroupSender groupSender;
  private final PhoneReceiver receiver;
  private final Clock clock;

  PhonePeer(Phone phone, Relay relay, KeyBundles keys, Executor phonesThread, Clock clock) {
    this.self = new DeviceAddress(phone, 0);
    this.phonesThread = phonesThread;
    this.clock = clock;
    InMemorySignalProtocolStore store = store(phone.primaryKeys(), clock);
    this.sender = new PhoneSender(self, store, relay, keys, clock);
    this.groupSender = new PhoneGroupSender(self, sender, relay, clock);
    this.receiver = new PhoneReceiver(self, store, relay, inbox, clock);
  }

  private static InMemorySignalProtocolStore store(DeviceKeys keys, Clock clock) {
    InMemorySignalProtocolStore store = new InMemorySignalProtocolStore(keys.identity(),
        keys.registrationId());
    store.storeSignedPreKey(new SignedPreKeyRecord(keys.signedPreKey().id(),
        keys.signedPreKey().keyPair(), keys.signedPreKey().signature(), clock.millis()));
    for (PreKey key : keys.preKeys()) {
      store.storePreKey(new PreKeyRecord(key.id(), key.keyPair()));
    }
    return store;
  }

  DeviceAddress self() {
    return self;
  }

  PhoneInbox inbox() {
    return inbox;
  }

  /**
   * Welcomes a newly linked companion (§9.6): the app-state sync key share, then the history sync
   * notification. Runs on the phones' thread; a refusal is logged (the companion can still work,
   * only Baileys 6.17 keeps its message events buffered without the key).
   */
  void welcome(Jid companion) {
    try {
      for (byte[] message : CompanionWelcome.messages(companion.deviceId(), clock,
          new java.security.SecureRandom())) {
        sender.sendPeer(companion, message);
      }
      log.info("companion welcomed phone={} device={}", self.phone().jid().masked(),
          companion.deviceId());
    } catch (PhoneSender.Refused e) {
      log.warn("companion welcome refused device={} reason={}", companion.masked(), e.getMessage());
    }
  }

  /** Runs on the phones' thread. */
  String send(Jid to, String text, Tamper tamper) throws PhoneSender.Refused {
    return to.isGroup() ? groupSender.send(to, text, tamper) : sender.send(to, text, tamper);
  }

  /** Runs on the phones' thread. */
  List<String> markRead(List<String> ids) throws PhoneSender.Refused {
    return receiver.markRead(ids);
  }

  /** Runs on the phones' thread. */
  boolean replay(String id) {
    return sender.replay(id);
  }

  @Override
  public boolean deliver(Node stanza) {
    phonesThread.execute(() -> {
      try {
        handle(stanza);
      } catch (RuntimeException e) {
        log.warn("phone failed on a stanza phone={} tag={}", self, stanza.tag(), e);
      }
    });
    return true;
  }

  private void handle(Node stanza) {
    switch (stanza.tag()) {
      case "message" -> receiver.receive(stanza);
      case "receipt" -> receipt(stanza);
      default -> log.debug("phone ignored stanza phone={} tag={}", self, stanza.tag());
    }
  }

  /**
   * Records one entry per message id the receipt names (a read receipt may list several, §9.3),
   * from the receipt's {@code participant} for a group's (§10.7), else its {@code from}.
   */
  private void receipt(Node receipt) {
    String type = receipt.attrOr("type", "delivery");
    long now = clock.instant().getEpochSecond();
    for (String id : Relay.receiptIds(receipt)) {
      inbox.receipt(new PhoneInbox.Receipt(id,
          receipt.attrOr("participant", receipt.attrOr("from", "")), type, now));
    }
    if (!"retry".equals(type)) {
      return;
    }
    try {
      Jid from = Jid.tryParse(receipt.attr("from"));
      boolean resent = from != null && from.isGroup()
          ? groupSender.resend(receipt.attrOr("id", ""), from,
              Jid.tryParse(receipt.attr("participant")))
          : sender.resend(receipt.attrOr("id", ""), from);
      log.info("phone answered retry receipt phone={} resent={}", self, resent);
    } catch (PhoneSender.Refused e) {
      log.info("phone could not resend phone={} reason={}", self, e.getMessage());
    }
  }
}
