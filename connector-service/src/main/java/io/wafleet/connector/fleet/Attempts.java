package io.wafleet.connector.fleet;

import io.wafleet.client.WaClient;

/**
 * The connection attempts of one supervisor: the current attempt's number and client, its connect
 * timer, the scheduled retry and the count of consecutive failures (the backoff step). Confined to
 * the account's serial executor; not thread-safe.
 */
final class Attempts {

  private int number;
  private WaClient client;
  private Scheduler.Cancellable connectTimer;
  private Scheduler.Cancellable retryTimer;
  private int failures;

  /** Starts numbering a new attempt; events tagged with older numbers are stale. */
  int next() {
    return ++number;
  }

  int current() {
    return number;
  }

  void begin(WaClient liveClient, Scheduler.Cancellable timer) {
    client = liveClient;
    connectTimer = timer;
  }

  /** The current attempt's client while it runs, or null. */
  WaClient liveClient() {
    return client;
  }

  /** True while the current attempt's client runs (connecting, pairing or connected). */
  boolean isLive() {
    return client != null;
  }

  /**
   * True while the current attempt's connect timer is armed: not yet cancelled by a QR or by
   * Connected. A timer that fired while Connected waited in the serial queue finds it disarmed.
   */
  boolean timeoutArmed() {
    return connectTimer != null;
  }

  void cancelTimeout() {
    if (connectTimer != null) {
      connectTimer.cancel();
      connectTimer = null;
    }
  }

  /** The current attempt's client, or null between attempts. */
  WaClient client() {
    return client;
  }

  /** Ends the current attempt; returns its client (to close) or null. Later events are stale. */
  WaClient end() {
    cancelTimeout();
    WaClient ended = client;
    client = null;
    number++;
    return ended;
  }

  void scheduleRetry(Scheduler.Cancellable timer) {
    cancelRetry();
    retryTimer = timer;
  }

  void cancelRetry() {
    if (retryTimer != null) {
      retryTimer.cancel();
      retryTimer = null;
    }
  }

  /** Counts one more consecutive failure; returns the count (1 = first retry). */
  int countFailure() {
    return ++failures;
  }

  void resetFailures() {
    failures = 0;
  }
}
