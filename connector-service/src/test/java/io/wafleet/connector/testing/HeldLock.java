package io.wafleet.connector.testing;

import com.google.api.core.ApiFuture;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.TransactionOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A document locked as a process killed in the middle of a transaction leaves it: a transaction
 * that read the document and stays open (the store keeps the lock until it ends or expires it).
 * {@link #close} ends it.
 */
public final class HeldLock implements AutoCloseable {

  private final CountDownLatch release = new CountDownLatch(1);
  private final ApiFuture<Void> holder;

  private HeldLock(Firestore db, DocumentReference doc, CountDownLatch locked) {
    holder = db.runTransaction(tx -> {
      tx.get(doc).get();
      locked.countDown();
      release.await(120, TimeUnit.SECONDS);
      return null;
    }, TransactionOptions.createReadWriteOptionsBuilder().setNumberOfAttempts(1).build());
  }

  /** Returns once the transaction holds {@code doc}'s lock. */
  public static HeldLock on(Firestore db, DocumentReference doc) throws InterruptedException {
    CountDownLatch locked = new CountDownLatch(1);
    HeldLock lock = new HeldLock(db, doc, locked);
    if (!locked.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the lock on " + doc.getPath() + " was not taken within 30 s");
    }
    return lock;
  }

  /** Ends the transaction and waits until it has (the store may have ended it first). */
  @Override
  public void close() throws InterruptedException, TimeoutException {
    release.countDown();
    try {
      holder.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // Ended by the store already: the lock is gone either way.
    }
  }
}
