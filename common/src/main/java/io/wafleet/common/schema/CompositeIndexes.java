package io.wafleet.common.schema;

import java.util.List;
import java.util.Objects;

/**
 * Every composite index wafleet's queries need, as data: firestore.indexes.json must declare exactly
 * these (functions' FirestoreIndexesTest checks both directions). The emulator never asks for
 * composite indexes, production does, so a query added without its entry here fails only in
 * production. Each store method that runs one of these queries links its entry.
 *
 * <p>Queries served by Firestore's automatic single-field indexes need no entry: an equality filter
 * alone, one range or order on a single field, or an equality filter ordered by document id
 * ascending ({@code AccountStore.listDesired}, {@code HeartbeatStore.list},
 * {@code ProbeStore.list}, the count aggregations). Immutable.
 */
public final class CompositeIndexes {

  private CompositeIndexes() {}

  /** Index field order, as firestore.indexes.json spells it. */
  public enum Order {
    ASCENDING,
    DESCENDING
  }

  /** One field of an index, in query order. {@code __name__} is the document id. */
  public record Field(String fieldPath, Order order) {
    public Field {
      Objects.requireNonNull(fieldPath, "fieldPath == null");
      Objects.requireNonNull(order, "order == null");
    }
  }

  /** A composite index on one collection (queryScope COLLECTION). */
  public record Index(String collectionGroup, List<Field> fields) {
    public Index {
      Objects.requireNonNull(collectionGroup, "collectionGroup == null");
      fields = List.copyOf(fields);
      if (fields.size() < 2) {
        throw new IllegalArgumentException("a composite index has at least two fields");
      }
    }
  }

  public static final String DOCUMENT_ID = "__name__";

  /** OutboxStore.listDue: accountId ==, status ==, nextAttemptAt <=, ordered by nextAttemptAt. */
  public static final Index OUTBOX_DUE = new Index("outbox", List.of(
      asc(FirestoreSchema.OutboxFields.ACCOUNT_ID), asc(FirestoreSchema.OutboxFields.STATUS),
      asc(FirestoreSchema.OutboxFields.NEXT_ATTEMPT_AT)));

  /** OutboxStore.listByStatus: status ==, ordered by createdAt. */
  public static final Index OUTBOX_BY_STATUS = new Index("outbox", List.of(
      asc(FirestoreSchema.OutboxFields.STATUS), asc(FirestoreSchema.OutboxFields.CREATED_AT)));

  /** MessageStore.listThreads: accountId ==, ordered by lastMessageAt descending, then id. */
  public static final Index THREADS_BY_ACCOUNT = new Index("threads", List.of(
      asc(FirestoreSchema.ThreadFields.ACCOUNT_ID),
      new Field(FirestoreSchema.ThreadFields.LAST_MESSAGE_AT, Order.DESCENDING), asc(DOCUMENT_ID)));

  /** IncidentStore.list: state ==, ordered by openedAt descending. */
  public static final Index INCIDENTS_BY_STATE = new Index("incidents", List.of(
      asc(FirestoreSchema.MetricFields.STATE), new Field(FirestoreSchema.MetricFields.OPENED_AT, Order.DESCENDING)));

  /** Every required composite index. */
  public static final List<Index> ALL = List.of(OUTBOX_DUE, OUTBOX_BY_STATUS, THREADS_BY_ACCOUNT, INCIDENTS_BY_STATE);

  private static Field asc(String fieldPath) {
    return new Field(fieldPath, Order.ASCENDING);
  }
}
