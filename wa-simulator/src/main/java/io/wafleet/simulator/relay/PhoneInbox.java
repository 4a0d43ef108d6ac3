package io.wafleet.simulator.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one simulated phone received: decrypted messages (or their decryption failures) in arrival
 * order, each id once per sender, and the receipts it got for what it sent. Thread-safe
 * (synchronized); the phones' thread writes, the admin API reads.
 */
public final class PhoneInbox {

  /**
   * One received message: {@code text} for a text, {@code unsupported} naming any other content,
   * {@code error} (with the other content fields null) when it did not decrypt; {@code type} is the
   * enc type ({@code pkmsg}/{@code msg}/...); {@code pushName} the stanza's {@code notify} and
   * {@code senderAlt} its {@code sender_lid} or {@code sender_pn} (§9.1), each null when absent.
   */
  public record Entry(int index, String id, String from, String chat, String text,
      String unsupported, long t, String type, String error, String pushName, String senderAlt) {

    boolean failed() {
      return error != null;
    }

    Entry withIndex(int at) {
      return new Entry(at, id, from, chat, text, unsupported, t, type, error, pushName, senderAlt);
    }
  }

  /** One receipt for a message this phone sent; {@code type} is {@code delivery} when it had none. */
  public record Receipt(String id, String from, String type, long t) {}

  private final List<Entry> entries = new ArrayList<>();
  private final List<Receipt> receipts = new ArrayList<>();

  /** The entry for that sender and id, if any. */
  synchronized Optional<Entry> find(String from, String id) {
    return entries.stream().filter(e -> e.id().equals(id) && e.from().equals(from)).findFirst();
  }

  /** The latest entry with that id, from any sender. */
  synchronized Optional<Entry> findById(String id) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).id().equals(id)) {
        return Optional.of(entries.get(i));
      }
    }
    return Optional.empty();
  }

  /** Adds an entry, or replaces the failed entry of the same sender and id (a retry that worked). */
  synchronized void record(Entry entry) {
    Optional<Entry> previous = find(entry.from(), entry.id());
    if (previous.isPresent()) {
      entries.set(previous.get().index(), entry.withIndex(previous.get().index()));
    } else {
      entries.add(entry.withIndex(entries.size()));
    }
  }

  synchronized void receipt(Receipt receipt) {
    receipts.add(receipt);
  }

  /** Entries from index {@code since} on, in arrival order. */
  public synchronized List<Entry> since(int since) {
    return since >= entries.size() ? List.of()
        : List.copyOf(entries.subList(Math.max(0, since), entries.size()));
  }

  public synchronized List<Receipt> receipts() {
    return new ArrayList<>(receipts);
  }
}
