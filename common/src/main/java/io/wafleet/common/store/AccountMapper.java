package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.AccountFields.*;

import com.google.cloud.firestore.DocumentSnapshot;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountCommand;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.DesiredState;
import io.wafleet.common.model.Owner;
import io.wafleet.common.model.QrCode;
import java.util.HashMap;
import java.util.Map;

/** accounts/{id} ⇄ {@link Account}. */
final class AccountMapper {

  private AccountMapper() {}

  static Map<String, Object> toMap(Account a) {
    Map<String, Object> m = new HashMap<>();
    m.put(NAME, a.name());
    m.put(PHONE_E164, a.phoneE164());
    m.put(STATUS, a.status().name());
    m.put(DESIRED, a.desired().name());
    m.put(QR, a.qr() == null ? null
        : Map.of(QR_VALUE, a.qr().value(), QR_EXPIRES_AT, Fields.timestamp(a.qr().expiresAt())));
    m.put(PAIRING_CODE, a.pairingCode());
    m.put(PAIRING_CODE_EXPIRES_AT, Fields.timestamp(a.pairingCodeExpiresAt()));
    m.put(PAIRING_PHONE, a.pairingPhone());
    m.put(LAST_ERROR, a.lastError());
    m.put(LAST_DISCONNECT_REASON, a.lastDisconnectReason());
    m.put(LAST_DISCONNECT_AT, Fields.timestamp(a.lastDisconnectAt()));
    m.put(RECONNECT_ATTEMPTS, (long) a.reconnectAttempts());
    m.put(RECENT_RECONNECTS, a.recentReconnects().stream().map(Fields::timestamp).toList());
    m.put(NEXT_RETRY_AT, Fields.timestamp(a.nextRetryAt()));
    m.put(CONNECTED_AT, Fields.timestamp(a.connectedAt()));
    m.put(LAST_EVENT_AT, Fields.timestamp(a.lastEventAt()));
    m.put(LAST_MESSAGE_AT, Fields.timestamp(a.lastMessageAt()));
    m.put(PHONE_LAST_SEEN_AT, Fields.timestamp(a.phoneLastSeenAt()));
    m.put(OWNER, a.owner() == null ? null
        : Map.of(OWNER_INSTANCE_ID, a.owner().instanceId(), OWNER_GENERATION, a.owner().generation()));
    m.put(OWNER_GENERATION_COUNTER, a.ownerGeneration());
    m.put(COMMAND, a.command() == null ? null
        : Map.of(COMMAND_KIND, a.command().kind().name(),
            COMMAND_REQUESTED_AT, Fields.timestamp(a.command().requestedAt())));
    m.put(CREATED_AT, Fields.timestamp(a.createdAt()));
    m.put(UPDATED_AT, Fields.timestamp(a.updatedAt()));
    return m;
  }

  /**
   * The document fields whose values differ between {@code before} and {@code after} (updatedAt
   * excluded), as a top-level field map for {@code update}: fields this mapper does not know stay
   * as they are.
   */
  static Map<String, Object> changedFields(Account before, Account after) {
    Map<String, Object> old = toMap(before);
    Map<String, Object> next = toMap(after);
    Map<String, Object> changed = new HashMap<>();
    next.forEach((field, value) -> {
      if (!field.equals(UPDATED_AT) && !java.util.Objects.equals(old.get(field), value)) {
        changed.put(field, value);
      }
    });
    return changed;
  }

  static Account fromSnapshot(DocumentSnapshot s) {
    Fields f = new Fields(s);
    return new Account(
        s.getId(),
        f.requiredString(NAME),
        f.requiredString(PHONE_E164),
        f.requiredEnum(STATUS, AccountStatus.class),
        f.requiredEnum(DESIRED, DesiredState.class),
        qr(f),
        f.optionalString(PAIRING_CODE),
        f.optionalInstant(PAIRING_CODE_EXPIRES_AT),
        f.optionalString(PAIRING_PHONE),
        f.optionalString(LAST_ERROR),
        f.optionalString(LAST_DISCONNECT_REASON),
        f.optionalInstant(LAST_DISCONNECT_AT),
        f.intOr(RECONNECT_ATTEMPTS, 0),
        f.instantList(RECENT_RECONNECTS),
        f.optionalInstant(NEXT_RETRY_AT),
        f.optionalInstant(CONNECTED_AT),
        f.optionalInstant(LAST_EVENT_AT),
        f.optionalInstant(LAST_MESSAGE_AT),
        f.optionalInstant(PHONE_LAST_SEEN_AT),
        owner(f),
        ownerGeneration(f),
        command(f),
        f.requiredInstant(CREATED_AT),
        f.requiredInstant(UPDATED_AT));
  }

  static Owner owner(Fields f) {
    if (f.optionalMap(OWNER) == null) {
      return null;
    }
    String instanceId = f.requiredString(OWNER + "." + OWNER_INSTANCE_ID);
    long generation = f.requiredLong(OWNER + "." + OWNER_GENERATION);
    if (instanceId.isBlank() || generation < 1) {
      throw new CorruptDocumentException(f.path(), OWNER, "has a blank instance or a generation < 1");
    }
    return new Owner(instanceId, generation);
  }

  /** The claim counter; {@link Account} keeps it at least the current owner's generation. */
  private static long ownerGeneration(Fields f) {
    long counter = f.longOr(OWNER_GENERATION_COUNTER, 0);
    if (counter < 0) {
      throw new CorruptDocumentException(f.path(), OWNER_GENERATION_COUNTER, "is negative");
    }
    return counter;
  }

  private static QrCode qr(Fields f) {
    if (f.optionalMap(QR) == null) {
      return null;
    }
    return new QrCode(f.requiredString(QR + "." + QR_VALUE), f.requiredInstant(QR + "." + QR_EXPIRES_AT));
  }

  private static AccountCommand command(Fields f) {
    if (f.optionalMap(COMMAND) == null) {
      return null;
    }
    return new AccountCommand(
        f.requiredEnum(COMMAND + "." + COMMAND_KIND, AccountCommand.Kind.class),
        f.requiredInstant(COMMAND + "." + COMMAND_REQUESTED_AT));
  }
}
