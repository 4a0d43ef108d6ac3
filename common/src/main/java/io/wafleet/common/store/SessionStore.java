package io.wafleet.common.store;

import static io.wafleet.common.schema.FirestoreSchema.ACCOUNTS;
import static io.wafleet.common.schema.FirestoreSchema.SESSIONS;
import static io.wafleet.common.schema.FirestoreSchema.SESSION_KEYS;
import static io.wafleet.common.schema.FirestoreSchema.SessionFields.*;

import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Transaction;
import com.google.cloud.firestore.WriteBatch;
import io.wafleet.common.crypto.BlobCipher;
import io.wafleet.common.crypto.EncryptedBlob;
import io.wafleet.common.model.Owner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * wa_sessions/{accountId} (credentials) and its keys/{type}_{id} sub-collection (Signal keys). Every
 * value is encrypted with {@link BlobCipher} before it leaves the process, bound to its document
 * path. Writes are fenced: they commit only while the writer still owns the account. Thread-safe.
 */
public final class SessionStore {

  /** Firestore allows 500 writes per transaction; keep room for the fencing read's bookkeeping. */
  public static final int MAX_KEYS_PER_WRITE = 400;

  private final Firestore db;
  private final BlobCipher cipher;
  private final Clock clock;

  public SessionStore(Firestore db, BlobCipher cipher, Clock clock) {
    this.db = Objects.requireNonNull(db, "db == null");
    this.cipher = Objects.requireNonNull(cipher, "cipher == null");
    this.clock = Objects.requireNonNull(clock, "clock == null");
  }

  /** Empty only when no credentials were ever stored; a read failure throws. */
  public Optional<byte[]> loadCreds(String accountId) {
    DocumentReference ref = sessionRef(accountId);
    DocumentSnapshot s = Futures.await(ref.get(), "load creds");
    if (!s.exists()) {
      return Optional.empty();
    }
    Fields f = new Fields(s);
    return Optional.of(cipher.decrypt(new EncryptedBlob(f.requiredString(KEY_ID), f.requiredBytes(CREDS)), ref.getPath()));
  }

  public boolean containsCreds(String accountId) {
    return Futures.await(sessionRef(accountId).get(), "check creds").exists();
  }

  /** Which of {@code accountIds} have credentials stored: one batched read for all of them. */
  public Map<String, Boolean> containsCreds(List<String> accountIds) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    if (accountIds.isEmpty()) {
      return out;
    }
    DocumentReference[] refs = accountIds.stream().map(this::sessionRef).toArray(DocumentReference[]::new);
    List<DocumentSnapshot> snaps = Futures.await(db.getAll(refs), "check creds");
    for (int i = 0; i < snaps.size(); i++) {
      out.put(accountIds.get(i), snaps.get(i).exists());
    }
    return out;
  }

  /** Stores the credentials if {@code owner} still owns the account; else {@link FencingException}. */
  public void storeCreds(String accountId, Owner owner, byte[] creds) {
    DocumentReference ref = sessionRef(accountId);
    EncryptedBlob blob = cipher.encrypt(creds, ref.getPath());
    Futures.await(db.runTransaction(tx -> {
      requireOwner(tx, accountId, owner);
      Map<String, Object> m = new HashMap<>();
      m.put(CREDS, Blob.fromBytes(blob.data()));
      m.put(KEY_ID, blob.keyId());
      m.put(GENERATION, owner.generation());
      m.put(UPDATED_AT, Fields.timestamp(clock.instant()));
      tx.set(ref, m);
      return null;
    }), "store creds");
  }

  /** The keys of one type that exist among {@code ids}; absent ids are absent from the map. */
  public Map<String, byte[]> loadKeys(String accountId, String type, List<String> ids) {
    requireKeyType(type);
    CollectionReference keys = sessionRef(accountId).collection(SESSION_KEYS);
    List<DocumentReference> refs = new ArrayList<>(ids.size());
    for (String id : ids) {
      refs.add(keys.document(DocumentIds.require(type + "_" + id, "keyId")));
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    if (refs.isEmpty()) {
      return out;
    }
    List<DocumentSnapshot> snaps = Futures.await(db.getAll(refs.toArray(new DocumentReference[0])), "load keys");
    for (int i = 0; i < snaps.size(); i++) {
      DocumentSnapshot s = snaps.get(i);
      if (s.exists()) {
        Fields f = new Fields(s);
        EncryptedBlob blob = new EncryptedBlob(f.requiredString(KEY_ID), f.requiredBytes(VALUE));
        out.put(ids.get(i), cipher.decrypt(blob, s.getReference().getPath()));
      }
    }
    return out;
  }

  /**
   * Writes (non-null value) or deletes (null value) keys of one type atomically, if {@code owner}
   * still owns the account.
   */
  public void storeKeys(String accountId, Owner owner, String type, Map<String, byte[]> values) {
    requireKeyType(type);
    if (values.size() > MAX_KEYS_PER_WRITE) {
      throw new InvalidFieldException("values", "more than " + MAX_KEYS_PER_WRITE + " keys in one write");
    }
    CollectionReference keys = sessionRef(accountId).collection(SESSION_KEYS);
    Map<DocumentReference, Map<String, Object>> writes = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      DocumentReference ref = keys.document(DocumentIds.require(type + "_" + e.getKey(), "keyId"));
      writes.put(ref, e.getValue() == null ? null : encryptedKey(ref, e.getValue(), owner));
    }
    Futures.await(db.runTransaction(tx -> {
      requireOwner(tx, accountId, owner);
      writes.forEach((ref, data) -> {
        if (data == null) {
          tx.delete(ref);
        } else {
          tx.set(ref, data);
        }
      });
      return null;
    }), "store keys");
  }

  /** How many Signal keys are stored for the account (status reports); one aggregation read. */
  public long countKeys(String accountId) {
    return Futures.await(sessionRef(accountId).collection(SESSION_KEYS).count().get(), "count keys").getCount();
  }

  /**
   * Signal key counts of several accounts: the aggregation queries are all sent before the first
   * answer is awaited, so they run concurrently rather than one after another.
   */
  public Map<String, Long> countKeys(List<String> accountIds) {
    Map<String, com.google.api.core.ApiFuture<com.google.cloud.firestore.AggregateQuerySnapshot>> pending =
        new LinkedHashMap<>();
    for (String id : accountIds) {
      pending.put(id, sessionRef(id).collection(SESSION_KEYS).count().get());
    }
    Map<String, Long> out = new LinkedHashMap<>();
    pending.forEach((id, count) -> out.put(id, Futures.await(count, "count keys").getCount()));
    return out;
  }

  /** Removes credentials and every key (logout, delete). Not fenced: the API does it after a logout. */
  public void deleteAll(String accountId) {
    DocumentReference ref = sessionRef(accountId);
    WriteBatch batch = db.batch();
    int pending = 0;
    for (DocumentReference key : ref.collection(SESSION_KEYS).listDocuments()) {
      batch.delete(key);
      if (++pending == MAX_KEYS_PER_WRITE) {
        Futures.await(batch.commit(), "delete keys");
        batch = db.batch();
        pending = 0;
      }
    }
    batch.delete(ref);
    Futures.await(batch.commit(), "delete session");
  }

  private Map<String, Object> encryptedKey(DocumentReference ref, byte[] value, Owner owner) {
    EncryptedBlob blob = cipher.encrypt(value, ref.getPath());
    Map<String, Object> m = new HashMap<>();
    m.put(VALUE, Blob.fromBytes(blob.data()));
    m.put(KEY_ID, blob.keyId());
    m.put(GENERATION, owner.generation());
    return m;
  }

  private void requireOwner(Transaction tx, String accountId, Owner owner) throws Exception {
    DocumentSnapshot account = tx.get(db.collection(ACCOUNTS).document(accountId)).get();
    Owner current = account.exists() ? AccountMapper.owner(new Fields(account)) : null;
    if (!owner.equals(current)) {
      throw new FencingException(accountId, owner, current);
    }
  }

  private DocumentReference sessionRef(String accountId) {
    return db.collection(SESSIONS).document(DocumentIds.require(accountId, "accountId"));
  }

  private static void requireKeyType(String type) {
    if (type == null || !type.matches("[a-z][a-z0-9-]{0,63}")) {
      throw new InvalidFieldException("type", "must be lower-case letters, digits or '-'");
    }
  }
}
