package io.wafleet.connector.messages;

import io.wafleet.client.WaClient;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.message.IncomingMessage;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.Jid;
import io.wafleet.common.model.Direction;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.model.Owner;
import io.wafleet.common.model.StoredMessage;
import io.wafleet.common.store.FencingException;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.store.StoreException;
import io.wafleet.connector.fleet.Backoff;
import io.wafleet.connector.fleet.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores what one account receives and only then acknowledges it to wa-client, so WhatsApp's
 * delivery receipt (and the client's deletion of its own unacknowledged copy) follows the durable
 * write. A store failure leaves the message unacknowledged and is retried with backoff; if the
 * connection ends first, the server redelivers it and it is stored idempotently by its WhatsApp id.
 * Receipts for our own messages move the outbox item and the stored message forward.
 *
 * <p>Threads: every method runs on the account's serial executor (given as {@code serial}); retries
 * are handed back to it by the scheduler. No lock is held around Firestore or wa-client calls.
 */
public final class InboundWriter {

  private static final Logger log = LoggerFactory.getLogger(InboundWriter.class);

  private final String accountId;
  private final Owner owner;
  private final MessageStore messages;
  private final OutboxStore outbox;
  private final Scheduler scheduler;
  private final Executor serial;
  private final Backoff backoff;
  private final Clock clock;
  private volatile boolean stopped;

  public InboundWriter(String accountId, Owner owner, MessageStore messages, OutboxStore outbox,
      Scheduler scheduler, Executor serial, Backoff backoff, Clock clock) {
    this.accountId = Objects.requireNonNull(accountId, "accountId == null");
    this.owner = Objects.requireNonNull(owner, "owner == null");
    this.messages = Objects.requireNonNull(messages, "messages == null");
    this.outbox = Objects.requireNonNull(outbox, "outbox == null");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
    this.serial = Objects.requireNonNull(serial, "serial == null");
    this.backoff = Objects.requireNonNull(backoff, "backoff == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** Stops pending retries (the connection this writer served ended). */
  public void stop() {
    stopped = true;
  }

  /** Stores {@code event}'s message, then acknowledges it on {@code client}; retried on failure. */
  public void onMessage(WaClient client, MessageReceived event) {
    store(client, event.message(), 0);
  }

  /** Moves the outbox item and the stored copy of one of our messages forward. */
  public void onReceipt(ReceiptReceived receipt) {
    OutboxStatus next = switch (receipt.type()) {
      case DELIVERY -> OutboxStatus.DELIVERED;
      case READ, READ_SELF, PLAYED -> OutboxStatus.READ;
      default -> null;
    };
    if (next == null) {
      return;
    }
    String waId = receipt.id().value();
    try {
      Optional<OutboxItem> item = outbox.findBySentId(accountId, waId);
      if (item.isEmpty()) {
        log.debug("receipt for a message not in the outbox account={} id={}", accountId, waId);
        return;
      }
      OutboxItem stored = outbox.advance(item.get().id(), owner, i -> withStatus(i, next));
      messages.advanceStatus(accountId, stored.to(), waId, next);
      log.info("outbox receipt account={} outboxId={} status={}", accountId, stored.id(), stored.status());
    } catch (FencingException e) {
      stopped = true;
      log.warn("receipt not recorded, ownership lost account={} id={} detail={}", accountId, waId, e.getMessage());
    } catch (StoreException e) {
      // The receipt is already acknowledged to the server; the status stays behind until the next one.
      log.warn("receipt not recorded account={} id={} status={} error={}", accountId, waId, next, e.toString());
    }
  }

  private void store(WaClient client, IncomingMessage message, int failures) {
    if (stopped) {
      return;
    }
    Optional<StoredMessage> stored = toStored(message, client.authState().credentials().me());
    if (stored.isEmpty()) {
      // Protocol traffic: nothing for a user to see, confirmed so the server stops sending it.
      client.acknowledge(message);
      return;
    }
    try {
      boolean created = messages.store(stored.get());
      client.acknowledge(message);
      log.info("inbound stored account={} id={} new={}", accountId, message.id(), created);
    } catch (StoreException e) {
      Duration delay = backoff.delay(failures + 1);
      log.warn("inbound store failed, not acknowledged account={} id={} retryIn={} error={}",
          accountId, message.id(), delay, e.toString());
      scheduler.schedule(delay, () -> serial.execute(() -> store(client, message, failures + 1)));
    }
  }

  private Optional<StoredMessage> toStored(IncomingMessage m, Jid me) {
    String text;
    if (m.content() instanceof MessageContent.Text t) {
      text = t.text();
    } else if (m.content() instanceof MessageContent.Unsupported u) {
      text = "[unsupported: " + u.type() + "]";
    } else {
      return Optional.empty();
    }
    Jid chat = m.chat();
    String chatJid = Jid.of(chat.user(), chat.server()).toString();
    String sender = Jid.of(m.sender().user(), m.sender().server()).toString();
    Direction direction = m.fromMe() ? Direction.OUTBOUND : Direction.INBOUND;
    String to = m.fromMe() || me == null ? chatJid : Jid.of(me.user(), me.server()).toString();
    return Optional.of(new StoredMessage(m.id().value(), accountId, chatJid, direction, sender, to, text,
        m.fromMe() ? OutboxStatus.SENT.name() : null, m.pushName(), m.timestamp(), clock.instant()));
  }

  private static OutboxItem withStatus(OutboxItem i, OutboxStatus status) {
    return new OutboxItem(i.id(), i.accountId(), i.to(), i.text(), status, i.attempts(), i.nextAttemptAt(),
        i.waMessageId(), i.error(), i.createdAt(), i.updatedAt());
  }
}
