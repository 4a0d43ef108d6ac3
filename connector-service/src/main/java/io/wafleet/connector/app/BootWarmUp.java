package io.wafleet.connector.app;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import com.google.cloud.firestore.Firestore;
import io.wafleet.common.schema.FirestoreSchema;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the Signal native library and the key code on a thread of its own while the process opens
 * Firestore and takes its lease, so the first restored account does not pay for it. The first key
 * operation of a process copies libsignal's native library (125 MB for Linux x86-64) out of its jar
 * and loads it: 0.75–0.85 s on the 2-vCPU bench machine, which every account connecting in that
 * moment waited for (docs/benchmarks.md, bench mttr).
 */
final class BootWarmUp {

  private static final Logger log = LoggerFactory.getLogger(BootWarmUp.class);

  private BootWarmUp() {}

  /** Starts the warm-up on a daemon thread and returns at once. */
  static Thread start() {
    Thread thread = new Thread(BootWarmUp::run, "boot-warm-up");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /**
   * Reads one document on a daemon thread and returns at once: the client's first call opens its
   * channel and loads the RPC classes (about 0.4 s of the lease's first transaction on the bench
   * machine), which then happens while the rest of the process is built instead of before the lease.
   */
  static Thread startStore(Firestore firestore, String instanceId) {
    Thread thread = new Thread(() -> {
      long began = System.nanoTime();
      try {
        firestore.collection(FirestoreSchema.CONNECTORS).document(instanceId).get().get(30, TimeUnit.SECONDS);
        log.info("store warm-up done in_ms={}", (System.nanoTime() - began) / 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        // Not fatal here: the lease's first call reports and retries the same failure.
        log.warn("store warm-up failed error={}", e.toString());
      }
    }, "store-warm-up");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  static void run() {
    long began = System.nanoTime();
    try {
      KeyPair ours = Curve25519.generateKeyPair();
      KeyPair theirs = Curve25519.generateKeyPair();
      Curve25519.agree(ours.privateKey(), theirs.publicKey());
      byte[] message = "warm-up".getBytes(StandardCharsets.US_ASCII);
      Curve25519.verify(ours.publicKey(), message, Curve25519.sign(ours.privateKey(), message));
      log.info("boot warm-up done in_ms={}", (System.nanoTime() - began) / 1_000_000);
    } catch (RuntimeException | LinkageError e) {
      // Not fatal here: the first account that needs the library reports the same failure itself.
      log.warn("boot warm-up failed error={}", e.toString());
    }
  }
}
