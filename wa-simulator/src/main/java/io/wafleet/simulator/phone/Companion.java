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

  /**
   * Sends the {@code link_code_companion_reg} notification of a phone that entered a code
   * (§6.7 step 3); the future completes with the companion's {@code companion_finish}, which the
   * phone must then answer with {@link #answerLinkCodeFinish}.
   */
  java.util.concurrent.CompletableFuture<LinkCodeFinish> sendLinkCodeNotification(String ref,
      byte[] primaryIdentity, byte[] wrappedPrimaryEphemeral);

  /** Answers a companion_finish: {@code errorCode} 0 is a result, anything else an iq error. */
  void answerLinkCodeFinish(LinkCodeFinish finish, int errorCode, String errorText);
}
