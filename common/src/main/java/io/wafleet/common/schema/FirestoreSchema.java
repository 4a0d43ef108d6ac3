package io.wafleet.common.schema;

/**
 * Every Firestore collection path and field name wafleet uses, in one place (docs/architecture.md,
 * "Firestore schema"). Stores build paths only through this class, so a grep for a field finds
 * every reader and writer.
 */
public final class FirestoreSchema {

  private FirestoreSchema() {}

  public static final String ACCOUNTS = "accounts";
  public static final String SESSIONS = "wa_sessions";
  public static final String SESSION_KEYS = "keys";
  public static final String THREADS = "threads";
  public static final String MESSAGES = "messages";
  public static final String OUTBOX = "outbox";
  public static final String CONNECTORS = "connectors";

  /** wa_metrics/longrun: the monitors' documents live in sub-collections of this one document. */
  public static final String METRICS_ROOT = "wa_metrics/longrun";
  public static final String METRICS_CONFIG = METRICS_ROOT + "/config";
  public static final String METRICS_CONFIG_CURRENT = "current";
  public static final String METRICS_LOCKS = METRICS_ROOT + "/locks";
  public static final String METRICS_HEARTBEATS = METRICS_ROOT + "/heartbeats";
  public static final String METRICS_PROBES = METRICS_ROOT + "/probes";
  public static final String METRICS_INCIDENTS = METRICS_ROOT + "/incidents";
  public static final String METRICS_ROLLUPS = METRICS_ROOT + "/rollups";
  public static final String METRICS_ALERTS = METRICS_ROOT + "/alerts";

  /** Field names of accounts/{accountId}. */
  public static final class AccountFields {
    private AccountFields() {}

    public static final String NAME = "name";
    public static final String PHONE_E164 = "phoneE164";
    public static final String STATUS = "status";
    public static final String DESIRED = "desired";
    public static final String QR = "qr";
    public static final String QR_VALUE = "value";
    public static final String QR_EXPIRES_AT = "expiresAt";
    public static final String PAIRING_CODE = "pairingCode";
    public static final String PAIRING_CODE_EXPIRES_AT = "pairingCodeExpiresAt";
    public static final String PAIRING_PHONE = "pairingPhone";
    public static final String LAST_ERROR = "lastError";
    public static final String LAST_DISCONNECT_REASON = "lastDisconnectReason";
    public static final String LAST_DISCONNECT_AT = "lastDisconnectAt";
    public static final String RECONNECT_ATTEMPTS = "reconnectAttempts";
    public static final String RECENT_RECONNECTS = "recentReconnects";
    public static final String NEXT_RETRY_AT = "nextRetryAt";
    public static final String CONNECTED_AT = "connectedAt";
    public static final String LAST_EVENT_AT = "lastEventAt";
    public static final String LAST_MESSAGE_AT = "lastMessageAt";
    public static final String PHONE_LAST_SEEN_AT = "phoneLastSeenAt";
    public static final String OWNER = "owner";
    public static final String OWNER_INSTANCE_ID = "instanceId";
    public static final String OWNER_GENERATION = "generation";
    /** The last claim generation handed out; kept when the owner is cleared (fencing tokens never repeat). */
    public static final String OWNER_GENERATION_COUNTER = "ownerGeneration";
    public static final String COMMAND = "command";
    public static final String COMMAND_KIND = "kind";
    public static final String COMMAND_REQUESTED_AT = "requestedAt";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
  }

  /** Field names of wa_sessions/{accountId} and its keys sub-collection. */
  public static final class SessionFields {
    private SessionFields() {}

    public static final String CREDS = "creds";
    public static final String KEY_ID = "keyId";
    public static final String VALUE = "value";
    public static final String VERSION = "version";
    public static final String GENERATION = "generation";
    public static final String UPDATED_AT = "updatedAt";
  }

  /** Field names of outbox/{outboxId}. */
  public static final class OutboxFields {
    private OutboxFields() {}

    public static final String ACCOUNT_ID = "accountId";
    public static final String TO = "to";
    public static final String TEXT = "text";
    public static final String STATUS = "status";
    public static final String ATTEMPTS = "attempts";
    public static final String NEXT_ATTEMPT_AT = "nextAttemptAt";
    public static final String WA_MESSAGE_ID = "waMessageId";
    public static final String ERROR = "error";
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";
    /**
     * The connector instance whose outbox listener delivers the item while it is QUEUED: the
     * account's owner when the item was enqueued, or the owner that last wrote it (absent or null:
     * the account had no owner; items stored before this field existed have none either).
     */
    public static final String ROUTE_INSTANCE_ID = "routeInstanceId";
  }

  /** Field names of threads/{threadId} and threads/{threadId}/messages/{waMessageId}. */
  public static final class ThreadFields {
    private ThreadFields() {}

    public static final String ACCOUNT_ID = "accountId";
    public static final String CHAT_JID = "chatJid";
    public static final String LAST_MESSAGE_AT = "lastMessageAt";
    public static final String UNREAD = "unread";
    public static final String DIRECTION = "direction";
    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String TEXT = "text";
    public static final String STATUS = "status";
    public static final String TS = "ts";
    public static final String PUSH_NAME = "pushName";
    public static final String STORED_AT = "storedAt";
  }

  /** Field names of connectors/{instanceId}. */
  public static final class ConnectorFields {
    private ConnectorFields() {}

    public static final String LEASE_UNTIL = "leaseUntil";
    public static final String GENERATION = "generation";
    public static final String STARTED_AT = "startedAt";
    public static final String LAST_BEAT_AT = "lastBeatAt";
    public static final String VERSION = "version";
    public static final String ACCOUNTS_OWNED = "accountsOwned";
    public static final String MEMORY_BYTES = "memoryBytes";
    public static final String INCARNATION = "incarnation";
    public static final String HOLDER = "holder";
    public static final String RECLAIM_AFTER = "reclaimAfter";
  }

  /** Field names of the wa_metrics/longrun documents. */
  public static final class MetricFields {
    private MetricFields() {}

    public static final String AT = "at";
    public static final String BUCKET = "bucket";
    public static final String CONNECTORS_ALIVE = "connectorsAlive";
    public static final String COUNTS_BY_STATUS = "countsByStatus";
    public static final String TYPE = "type";
    public static final String OK = "ok";
    public static final String LATENCY_MS = "latencyMs";
    public static final String ERROR = "error";
    public static final String ACCOUNT_ID = "accountId";
    public static final String SUBJECT = "subject";
    public static final String STATE = "state";
    public static final String DETAIL = "detail";
    public static final String OPENED_AT = "openedAt";
    public static final String RESOLVED_AT = "resolvedAt";
    public static final String RESOLUTION = "resolution";
    public static final String TIME_TO_RECOVER_SECONDS = "timeToRecoverSeconds";
    public static final String HOLDER = "holder";
    public static final String LEASE_UNTIL = "leaseUntil";
    public static final String LAST_SENT_AT = "lastSentAt";
    public static final String SINCE = "since";
    public static final String ACCOUNTS_NOT_CONNECTED = "accountsNotConnected";
    public static final String RECOVERED_AT = "recoveredAt";
    public static final String VALUES = "values";
    public static final String CONNECTOR_MEMORY_BYTES = "connectorMemoryBytes";
    public static final String DRIFT_MS = "driftMs";
    public static final String LAST_CHECKED_AT = "lastCheckedAt";
  }
}
