package io.wafleet.simulator.phone;

/**
 * A registering companion connection, as the phone book sees it while its refs are live (§6.1).
 * Implemented by the server's pairing session. Implementations must be thread-safe: the admin
 * API's thread calls {@link #sendPairSuccess}.
 */
public interface Companion {

  /** What the companion registered with (§3.2). */
  Registration registration();

  /** Sends {@code pair-success} for this link and waits for its pair-device-sign (§6.4, §6.5). */
  void sendPairSuccess(PendingLink link);
}
