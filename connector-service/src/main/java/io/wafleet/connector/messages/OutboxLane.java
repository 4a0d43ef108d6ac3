package io.wafleet.connector.messages;

import io.wafleet.client.NotConnectedException;
import io.wafleet.client.SendResult;
import io.wafleet.client.WaClient;
import io.wafleet.client.WaException;
import io.wafleet.client.SendRejectedException;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.common.model.Direction;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.model.Owner;
import io.wafleet.common.model.StoredMessage;
import io.wafleet.common.store.FencingException;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.NotFoundStoreException;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.store.StoreException;
import io.wafleet.connector.fleet.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one connected account's queued texts, one at a time, paced to
 * {@link OutboxConfig#messagesPerMinute()}. Each item is sent under the WhatsApp id derived from
 * its outbox id ({@link MessageId#derivedFrom}), so a resend after a crash is the same message,
 * which the recipient drops as a duplicate. Every outbox write is checked against the owner in its
 * transaction; a refusal stops the lane.
 *
 * <p>Threads: all state is confined to the account's serial executor; {@link OutboxDispatcher} and
 * the scheduler only hand work to it, and send completions come back to it.
 */
final class OutboxLane {

  private static final Logger log = LoggerFactory.getLogger(OutboxLane.class);
  private static final Comparator<OutboxItem> DUE_ORDER = Comparator
      .comparing(OutboxItem::nextAttemptAt, Comparator.nullsFirst(Comparator.naturalOrder()))
      .thenComparing(OutboxItem::createdAt).thenComparing(OutboxItem::id);

  private final String accountId;
  private final Owner owner;
  private final WaClient client;
  private final Executor serial;
  private final OutboxStore outbox;
  private final MessageStore messages;
  private final Scheduler scheduler;
  private final Clock clock;
  private final OutboxConfig config;
  private final Map<String, OutboxItem> pending = new HashMap<>();
  /**
   * Items marked SENDING whose thread copy could not be stored yet: not sent until it is (the copy
   * is what the conversation shows), and kept here because the QUEUED snapshots no longer list them.
   */
  private final Map<String, OutboxItem> awaitingCopy = new HashMap<>();
  private String inFlight;
  private Instant nextSendAllowed = Instant.MIN;
  private Scheduler.Cancellable wake;
  private Instant wakeAt;
  private boolean stopped;

  OutboxLane(String accountId, Owner owner, WaClient client, Executor serial, OutboxStore outbox,
      MessageStore messages, Scheduler scheduler, Clock clock, OutboxConfig config) {
    this.accountId = Objects.requireNonNull(accountId, "accountId == null");
    this.owner = Objects.requireNonNull(owner, "owner == null");
    this.client = Objects.requireNonNull(client, "client == null");
    this.serial = Objects.requireNonNull(serial, "serial == null");
    this.outbox = Objects.requireNonNull(outbox, "outbox == null");
    this.messages = Objects.requireNonNull(messages, "messages == null");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
    this.config = Objects.requireNonNull(config, "config == null");
  }

  Executor serial() {
    return serial;
  }

  /** Takes the account's currently QUEUED items (the dispatcher's latest snapshot). Any thread. */
  void offer(List<OutboxItem> queued) {
    serial.execute(() -> {
      if (stopped) {
        return;
      }
      pending.clear();
      pending.putAll(awaitingCopy);
      for (OutboxItem item : queued) {
        if (!item.id().equals(inFlight)) {
          pending.put(item.id(), item);
        }
      }
      pump();
    });
  }

  /**
   * Takes the account's queue over: QUEUED items routed to another instance (a previous owner, or
   * none when they were enqueued) are routed here, so the dispatcher's listener delivers them, and
   * items a previous owner or a crashed process left in SENDING go back in the queue; they are resent
   * under the same WhatsApp id. Any thread.
   */
  void takeOverQueue() {
    serial.execute(() -> takeOverQueueNow(1));
  }

  /**
   * On the serial executor. A failure is tried again after a backoff step, never given up: an item
   * left in SENDING would otherwise wait for the next owner (found by ConnectorChaosIT: the item's
   * document stayed locked by a transaction the killed process left open).
   */
  private void takeOverQueueNow(int attempt) {
    if (stopped) {
      return;
    }
    try {
      OutboxStore.QueueTakeover found = outbox.takeOverQueue(accountId, owner);
      if (found.rerouted() > 0) {
        log.info("outbox items routed to this owner account={} items={}", accountId, found.rerouted());
      }
      for (OutboxItem item : found.sending()) {
        if (!item.id().equals(inFlight) && !awaitingCopy.containsKey(item.id())) {
          log.info("outbox item left in SENDING, resending under the same id account={} outboxId={}",
              accountId, item.id());
          outbox.advance(item.id(), owner, i -> with(i, OutboxStatus.QUEUED, i.attempts(), clock.instant(), null));
        }
      }
    } catch (FencingException e) {
      fenced(e);
    } catch (StoreException e) {
      Duration delay = config.retryBackoff().delay(attempt);
      log.warn("could not take the outbox queue over account={} error={}: trying again in {}", accountId,
          e.toString(), delay);
      scheduler.schedule(delay, () -> serial.execute(() -> takeOverQueueNow(attempt + 1)));
    }
  }

  /** No more sends; an in-flight send still records its outcome. Any thread. */
  void stop() {
    serial.execute(() -> {
      stopped = true;
      cancelWake();
      pending.clear();
      awaitingCopy.clear();
    });
  }

  // ---- on the serial executor ----

  private void pump() {
    if (stopped || inFlight != null || pending.isEmpty()) {
      return;
    }
    OutboxItem next = pending.values().stream().min(DUE_ORDER).orElseThrow();
    Instant now = clock.instant();
    Instant due = next.nextAttemptAt() == null ? now : next.nextAttemptAt();
    Instant at = due.isAfter(nextSendAllowed) ? due : nextSendAllowed;
    if (at.isAfter(now)) {
      scheduleWake(at, now);
      return;
    }
    cancelWake();
    send(next, now);
  }

  private void send(OutboxItem item, Instant now) {
    pending.remove(item.id());
    MessageId id = MessageId.derivedFrom(item.id());
    Jid to;
    try {
      to = Jid.parse(item.to());
    } catch (IllegalArgumentException e) {
      fail(item, "invalid-recipient");
      return;
    }
    OutboxItem sending;
    try {
      sending = outbox.markSending(item.id(), owner, id.value());
    } catch (FencingException e) {
      fenced(e);
      return;
    } catch (IllegalStateException | NotFoundStoreException e) {
      // Another write moved it on (or it is gone): not ours to send now.
      pump();
      return;
    } catch (StoreException e) {
      log.warn("outbox mark-sending failed account={} outboxId={} error={}", accountId, item.id(), e.toString());
      pending.put(item.id(), item);
      scheduleWake(now.plus(config.retryBackoff().delay(1)), now);
      return;
    }
    if (!storeOutbound(sending, id, to, now)) {
      // Marked SENDING already; marking again under the same id returns it unchanged.
      Instant retryAt = now.plus(config.retryBackoff().delay(1));
      OutboxItem retry = with(item, item.status(), item.attempts(), retryAt, item.error());
      awaitingCopy.put(item.id(), retry);
      pending.put(item.id(), retry);
      scheduleWake(retryAt, now);
      return;
    }
    awaitingCopy.remove(item.id());
    inFlight = item.id();
    nextSendAllowed = now.plus(config.spacing());
    log.info("outbox send account={} outboxId={} id={} attempt={}", accountId, item.id(), id, sending.attempts());
    client.sendText(to, item.text(), id)
        .whenComplete((result, error) -> serial.execute(() -> onSendDone(sending, result, error)));
  }

  /**
   * Stores the outbound copy in the thread (idempotent: a copy already stored under this id counts);
   * false when the store failed. A failed copy used to be given up, and the conversation then lacked
   * a message its recipient had (found by ConnectorChaosIT: the thread document stayed locked by a
   * transaction a killed process left open).
   */
  private boolean storeOutbound(OutboxItem item, MessageId id, Jid to, Instant now) {
    String chat = Jid.of(to.user(), to.server()).toString();
    Jid me = client.authState().credentials().me();
    String from = me == null ? accountId : Jid.of(me.user(), me.server()).toString();
    try {
      messages.store(new StoredMessage(id.value(), accountId, chat, Direction.OUTBOUND, from, chat, item.text(),
          OutboxStatus.SENDING.name(), null, now, null));
      return true;
    } catch (StoreException e) {
      log.warn("outbound copy not stored account={} id={} error={}: sending after it is", accountId, id,
          e.toString());
      return false;
    }
  }

  private void onSendDone(OutboxItem sending, SendResult result, Throwable error) {
    inFlight = null;
    if (error == null) {
      writeSent(sending, 1);
      if (!stopped) {
        pump();
      }
      return;
    }
    try {
      onSendFailed(sending, error instanceof CompletionException c && c.getCause() != null ? c.getCause() : error);
    } catch (FencingException e) {
      fenced(e);
      return;
    } catch (StoreException e) {
      // Left in SENDING: the next owner or restart resends it under the same id (no second copy).
      log.warn("outbox outcome not written account={} outboxId={} error={}", accountId, sending.id(), e.toString());
    }
    pump();
  }

  /**
   * Records a send WhatsApp accepted: the item SENT (a later status it already has is kept) and its
   * copy in the thread brought to the item's status. A failed write is tried again after a backoff
   * step, for as long as this lane runs: an item left in SENDING would be sent again by the next
   * owner (same id, so no second copy, but a needless one), and a copy left behind shows the user a
   * wrong status. A receipt that could not be recorded meanwhile is caught up by the same write.
   */
  private void writeSent(OutboxItem sending, int attempt) {
    if (stopped) {
      return;
    }
    try {
      OutboxItem stored = outbox.advance(sending.id(), owner,
          i -> with(i, OutboxStatus.SENT, i.attempts(), i.nextAttemptAt(), null));
      OutboxStatus copyStatus = stored.status() == OutboxStatus.DELIVERED || stored.status() == OutboxStatus.READ
          ? stored.status() : OutboxStatus.SENT;
      messages.advanceStatus(accountId, chatOf(sending), sending.waMessageId(), copyStatus);
      log.info("outbox sent account={} outboxId={} status={}", accountId, sending.id(), stored.status());
    } catch (FencingException e) {
      fenced(e);
    } catch (StoreException e) {
      Duration wait = config.retryBackoff().delay(attempt);
      log.warn("outbox outcome not written account={} outboxId={} attempt={} error={}: trying again in {}",
          accountId, sending.id(), attempt, e.toString(), wait);
      scheduler.schedule(wait, () -> serial.execute(() -> writeSent(sending, attempt + 1)));
    }
  }

  private void onSendFailed(OutboxItem sending, Throwable error) {
    String reason = reasonOf(error);
    if (error instanceof NotConnectedException) {
      // The connection ended, not the message: back in the queue without using up an attempt.
      outbox.advance(sending.id(), owner,
          i -> with(i, OutboxStatus.QUEUED, Math.max(0, i.attempts() - 1), clock.instant(), reason));
      log.info("outbox send interrupted account={} outboxId={}: queued again", accountId, sending.id());
    } else if (sending.attempts() >= config.maxAttempts() || error instanceof SendRejectedException) {
      fail(sending, reason);
    } else {
      Instant retryAt = clock.instant().plus(config.retryBackoff().delay(sending.attempts()));
      outbox.advance(sending.id(), owner, i -> with(i, OutboxStatus.QUEUED, i.attempts(), retryAt, reason));
      log.warn("outbox send failed account={} outboxId={} attempt={} reason={} retryAt={}", accountId,
          sending.id(), sending.attempts(), reason, retryAt);
    }
  }

  private void fail(OutboxItem item, String reason) {
    try {
      outbox.advance(item.id(), owner, i -> with(i, OutboxStatus.FAILED, i.attempts(), i.nextAttemptAt(), reason));
      if (item.waMessageId() != null) {
        messages.advanceStatus(accountId, chatOf(item), item.waMessageId(), OutboxStatus.FAILED);
      }
      log.warn("outbox failed account={} outboxId={} attempts={} reason={}", accountId, item.id(), item.attempts(),
          reason);
    } catch (FencingException e) {
      fenced(e);
    } catch (StoreException e) {
      log.warn("outbox failure not written account={} outboxId={} error={}", accountId, item.id(), e.toString());
    }
    pump();
  }

  private void fenced(FencingException e) {
    stopped = true;
    cancelWake();
    pending.clear();
    log.warn("outbox lane stopped, ownership lost account={} detail={}", accountId, e.getMessage());
  }

  private void scheduleWake(Instant at, Instant now) {
    if (wake != null && !wakeAt.isAfter(at)) {
      return;
    }
    cancelWake();
    wakeAt = at;
    wake = scheduler.schedule(Duration.between(now, at), () -> serial.execute(() -> {
      wake = null;
      wakeAt = null;
      pump();
    }));
  }

  private void cancelWake() {
    if (wake != null) {
      wake.cancel();
      wake = null;
      wakeAt = null;
    }
  }

  private static String chatOf(OutboxItem item) {
    Jid to = Jid.parse(item.to());
    return Jid.of(to.user(), to.server()).toString();
  }

  private static String reasonOf(Throwable error) {
    if (error instanceof SendRejectedException rejected) {
      return "rejected:" + rejected.reason();
    }
    if (error instanceof WaException) {
      return error.getClass().getSimpleName();
    }
    return "error:" + error.getClass().getSimpleName();
  }

  private static OutboxItem with(OutboxItem i, OutboxStatus status, int attempts, Instant nextAttemptAt,
      String error) {
    return new OutboxItem(i.id(), i.accountId(), i.to(), i.text(), status, attempts, nextAttemptAt,
        i.waMessageId(), error, i.createdAt(), i.updatedAt());
  }
}
