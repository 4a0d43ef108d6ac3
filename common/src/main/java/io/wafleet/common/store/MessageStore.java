package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.MESSAGES;
import static io.wafleet.common.schema.FirestoreSchema.THREADS;
import static io.wafleet.common.schema.FirestoreSchema.ThreadFields.*;

import com.google.cloud.firestore.DocumentChange;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.ListenerRegistration;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.wafleet.common.model.ChatThread;
import io.wafleet.common.model.Direction;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.model.StoredMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * threads/{threadId} and threads/{threadId}/messages/{waMessageId}. A message is keyed by its
 * WhatsApp id, so a redelivery after a crash stores nothing twice and does not bump the unread count
 * twice. Thread-safe.
 */
public final class MessageStore {

  private final Firestore db;
  private final Clock clock;

  public MessageStore(Firestore db, Clock clock) {
    this.db = Objects.requireNonNull(db, "db == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /**
   * Stores a message and updates its thread in one transaction. Returns true when it was new; false
   * when that WhatsApp id was already stored (a redelivery), in which case nothing changes. Once this
   * returns, the message is durable and the caller may acknowledge it to WhatsApp.
   */
  public boolean store(StoredMessage message) {
    DocumentIds.require(message.waMessageId(), "waMessageId");
    DocumentIds.require(message.accountId(), "accountId");
    String threadId = DocumentIds.require(ChatThread.idFor(message.accountId(), message.chatJid()), "chatJid");
    DocumentReference threadRef = db.collection(THREADS).document(threadId);
    DocumentReference messageRef = threadRef.collection(MESSAGES).document(message.waMessageId());
    Instant now = clock.instant();
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot existing = tx.get(messageRef).get();
      if (existing.exists()) {
        return false;
      }
      DocumentSnapshot thread = tx.get(threadRef).get();
      long unread = thread.exists() ? new Fields(thread).longOr(UNREAD, 0) : 0;
      Instant last = thread.exists() ? new Fields(thread).optionalInstant(LAST_MESSAGE_AT) : null;
      Map<String, Object> t = new HashMap<>();
      t.put(ACCOUNT_ID, message.accountId());
      t.put(CHAT_JID, message.chatJid());
      t.put(LAST_MESSAGE_AT, Fields.timestamp(last == null || message.ts().isAfter(last) ? message.ts() : last));
      t.put(UNREAD, message.direction() == Direction.INBOUND ? unread + 1 : unread);
      tx.set(threadRef, t);
      tx.create(messageRef, toMap(message, now));
      return true;
    }), "store message");
  }

  /**
   * Moves a stored message's status forward, as receipts for our outbound messages say (SENT →
   * DELIVERED → READ); a backward or repeated status (receipts arrive out of order) changes nothing.
   * Returns false when no such message is stored or nothing changed.
   */
  public boolean advanceStatus(String accountId, String chatJid, String waMessageId, OutboxStatus next) {
    Objects.requireNonNull(next, "next == null");
    String threadId = DocumentIds.require(ChatThread.idFor(DocumentIds.require(accountId, "accountId"), chatJid),
        "chatJid");
    DocumentReference messageRef = db.collection(THREADS).document(threadId).collection(MESSAGES)
        .document(DocumentIds.require(waMessageId, "waMessageId"));
    return Futures.await(db.runTransaction(tx -> {
      DocumentSnapshot s = tx.get(messageRef).get();
      if (!s.exists()) {
        return false;
      }
      OutboxStatus current = statusOf(new Fields(s).optionalString(STATUS));
      if (current != null && current != next && !current.canMoveTo(next) || current == next) {
        return false;
      }
      tx.update(messageRef, STATUS, next.name());
      return true;
    }), "advance message status");
  }

  private static OutboxStatus statusOf(String stored) {
    if (stored == null) {
      return null;
    }
    for (OutboxStatus s : OutboxStatus.values()) {
      if (s.name().equals(stored)) {
        return s;
      }
    }
    return null;
  }

  public Optional<StoredMessage> load(String threadId, String waMessageId) {
    DocumentSnapshot s = Futures.await(db.collection(THREADS).document(DocumentIds.require(threadId, "threadId"))
        .collection(MESSAGES).document(DocumentIds.require(waMessageId, "waMessageId")).get(), "load message");
    return s.exists() ? Optional.of(fromSnapshot(s, threadAccount(threadId))) : Optional.empty();
  }

  public Optional<ChatThread> loadThread(String threadId) {
    DocumentSnapshot s = Futures.await(db.collection(THREADS).document(DocumentIds.require(threadId, "threadId")).get(),
        "load thread");
    return s.exists() ? Optional.of(threadFrom(s)) : Optional.empty();
  }

  /**
   * An account's threads, most recent first; {@code afterThreadId} continues a previous page. Index:
   * {@link io.wafleet.common.schema.CompositeIndexes#THREADS_BY_ACCOUNT}.
   */
  public List<ChatThread> listThreads(String accountId, int limit, String afterThreadId) {
    AccountStore.requirePageSize(limit);
    Query q = db.collection(THREADS).whereEqualTo(ACCOUNT_ID, DocumentIds.require(accountId, "accountId"))
        .orderBy(LAST_MESSAGE_AT, Query.Direction.DESCENDING).orderBy(FieldPath.documentId()).limit(limit);
    if (afterThreadId != null) {
      DocumentSnapshot after = Futures.await(
          db.collection(THREADS).document(DocumentIds.require(afterThreadId, "after")).get(), "load page cursor");
      if (!after.exists()) {
        throw new InvalidFieldException("after", "names no thread");
      }
      q = q.startAfter(after);
    }
    List<ChatThread> out = new ArrayList<>();
    for (QueryDocumentSnapshot d : Futures.await(q.get(), "list threads").getDocuments()) {
      out.add(threadFrom(d));
    }
    return out;
  }

  /** A thread's messages, oldest first by timestamp then id; {@code afterMessageId} continues a page. */
  public List<StoredMessage> listMessages(String threadId, int limit, String afterMessageId) {
    AccountStore.requirePageSize(limit);
    var messages = db.collection(THREADS).document(DocumentIds.require(threadId, "threadId")).collection(MESSAGES);
    Query q = messages.orderBy(TS).orderBy(FieldPath.documentId()).limit(limit);
    if (afterMessageId != null) {
      DocumentSnapshot after = Futures.await(
          messages.document(DocumentIds.require(afterMessageId, "after")).get(), "load page cursor");
      if (!after.exists()) {
        throw new InvalidFieldException("after", "names no message");
      }
      q = q.startAfter(after);
    }
    String accountId = threadAccount(threadId);
    List<StoredMessage> out = new ArrayList<>();
    for (QueryDocumentSnapshot d : Futures.await(q.get(), "list messages").getDocuments()) {
      out.add(fromSnapshot(d, accountId));
    }
    return out;
  }

  /**
   * Watches the threads of {@code accountId} whose last message is at or after {@code since} (the
   * monitor's inbound probe waits for its message this way; the THREADS_BY_ACCOUNT index serves it):
   * each snapshot hands {@code onChanged} the ids of the threads added or changed, on Firestore's
   * listener thread, so the consumer must only hand them over. Close the returned handle to stop.
   */
  public AutoCloseable watchThreadsSince(String accountId, Instant since, Consumer<List<String>> onChanged,
      Consumer<Exception> onError) {
    Objects.requireNonNull(onChanged, "onChanged == null");
    Objects.requireNonNull(onError, "onError == null");
    ListenerRegistration registration = db.collection(THREADS)
        .whereEqualTo(ACCOUNT_ID, DocumentIds.require(accountId, "accountId"))
        .whereGreaterThanOrEqualTo(LAST_MESSAGE_AT, Fields.timestamp(since))
        .orderBy(LAST_MESSAGE_AT, Query.Direction.DESCENDING).orderBy(FieldPath.documentId())
        .addSnapshotListener((snapshot, error) -> {
          if (error != null) {
            onError.accept(error);
            return;
          }
          if (snapshot == null) {
            return;
          }
          List<String> ids = new ArrayList<>();
          for (DocumentChange c : snapshot.getDocumentChanges()) {
            if (c.getType() != DocumentChange.Type.REMOVED) {
              ids.add(c.getDocument().getId());
            }
          }
          onChanged.accept(ids);
        });
    return registration::remove;
  }

  /** A message of the thread with exactly this text, if one is stored (single-field index on text). */
  public Optional<StoredMessage> findByText(String threadId, String text) {
    Query q = db.collection(THREADS).document(DocumentIds.require(threadId, "threadId")).collection(MESSAGES)
        .whereEqualTo(TEXT, Objects.requireNonNull(text, "text == null")).limit(1);
    List<QueryDocumentSnapshot> docs = Futures.await(q.get(), "find message").getDocuments();
    return docs.isEmpty() ? Optional.empty() : Optional.of(fromSnapshot(docs.get(0), threadAccount(threadId)));
  }

  private static String threadAccount(String threadId) {
    int cut = threadId.indexOf('~');
    return cut > 0 ? threadId.substring(0, cut) : threadId;
  }

  private static Map<String, Object> toMap(StoredMessage m, Instant now) {
    Map<String, Object> d = new HashMap<>();
    d.put(ACCOUNT_ID, m.accountId());
    d.put(CHAT_JID, m.chatJid());
    d.put(DIRECTION, m.direction().name());
    d.put(FROM, m.from());
    d.put(TO, m.to());
    d.put(TEXT, m.text());
    d.put(STATUS, m.status());
    d.put(PUSH_NAME, m.pushName());
    d.put(TS, Fields.timestamp(m.ts()));
    d.put(STORED_AT, Fields.timestamp(now));
    return d;
  }

  private static StoredMessage fromSnapshot(DocumentSnapshot s, String fallbackAccountId) {
    Fields f = new Fields(s);
    String accountId = f.optionalString(ACCOUNT_ID);
    return new StoredMessage(s.getId(), accountId == null ? fallbackAccountId : accountId,
        f.requiredString(CHAT_JID), f.requiredEnum(DIRECTION, Direction.class), f.requiredString(FROM),
        f.requiredString(TO), f.requiredString(TEXT), f.optionalString(STATUS), f.optionalString(PUSH_NAME),
        f.requiredInstant(TS), f.optionalInstant(STORED_AT));
  }

  private static ChatThread threadFrom(DocumentSnapshot s) {
    Fields f = new Fields(s);
    return new ChatThread(s.getId(), f.requiredString(ACCOUNT_ID), f.requiredString(CHAT_JID),
        f.optionalInstant(LAST_MESSAGE_AT), f.longOr(UNREAD, 0));
  }
}
