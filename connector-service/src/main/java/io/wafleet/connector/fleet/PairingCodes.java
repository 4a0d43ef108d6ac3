package io.wafleet.connector.fleet;

import io.wafleet.client.ConnectionState;
import io.wafleet.client.PairingCode;
import io.wafleet.client.PairingCodeError;
import io.wafleet.client.PairingCodeException;
import io.wafleet.client.WaClient;
import io.wafleet.client.event.PairingCodeFailed;
import io.wafleet.common.model.Account;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the API's PAIRING_CODE for one account (docs/protocol.md §6.7): asks wa-client for a
 * code on the account's registration socket — at once when it shows QR codes, else as soon as it
 * does — and writes the code and its expiry to the account; clears them when the code dies (the
 * supervisor clears them when pairing succeeds or the registration ends), and reports problems as
 * {@code lastError=pairing-code-<reason>}. Every write goes through the supervisor's owner-fenced
 * field write.
 *
 * <p>Threads: the account's serial executor only (wa-client's future completes elsewhere and is
 * handed back to it).
 */
final class PairingCodes {

  private static final Logger log = LoggerFactory.getLogger(PairingCodes.class);
  /** lastError when the account is already paired: a code only links a new device. */
  static final String ALREADY_PAIRED = "pairing-code-already-paired";

  private final String accountId;
  private final Executor serial;
  private final Consumer<UnaryOperator<Account.Builder>> write;
  private final Supplier<WaClient> liveClient;
  private String waitingPhone;
  private boolean shownQr;

  /**
   * @param write the supervisor's owner-fenced write of account fields (status unchanged)
   * @param liveClient the account's current client, or null
   */
  PairingCodes(String accountId, Executor serial, Consumer<UnaryOperator<Account.Builder>> write,
      Supplier<WaClient> liveClient) {
    this.accountId = accountId;
    this.serial = serial;
    this.write = write;
    this.liveClient = liveClient;
  }

  /** The API asked for a code for {@code phone}; the account is not paired. */
  void request(String phone) {
    WaClient client = liveClient.get();
    if (client != null && client.state() == ConnectionState.PAIRING && waitingPhone == null
        && shownQr) {
      ask(client, phone);
    } else {
      log.info("pairing code waits for the registration socket account={}", accountId);
      waitingPhone = phone;
    }
  }

  /** The registration socket shows a QR: a waiting request goes out now. */
  void onQrShown(WaClient client) {
    shownQr = true;
    String phone = waitingPhone;
    waitingPhone = null;
    if (phone != null) {
      ask(client, phone);
    }
  }

  /** A new connection attempt starts: its QR is not shown yet. */
  void onNewAttempt() {
    shownQr = false;
  }

  void onFailed(PairingCodeFailed failed) {
    log.warn("pairing code failed account={} error={} detail={}", accountId, failed.error(),
        failed.detail());
    boolean dead = failed.error() != PairingCodeError.WRONG_CODE
        && failed.error() != PairingCodeError.BAD_SERVER_MESSAGE;
    write.accept(b -> {
      Account.Builder out = b.lastError(errorCode(failed.error()));
      return dead ? out.pairingCode(null).pairingCodeExpiresAt(null) : out;
    });
  }

  private void ask(WaClient client, String phone) {
    try {
      client.requestPairingCode(phone).whenComplete((code, error) ->
          serial.execute(() -> onAnswer(client, code, error)));
    } catch (PairingCodeException e) {
      log.warn("pairing code refused account={} error={}", accountId, e.error());
      write.accept(b -> b.lastError(errorCode(e.error())));
    }
  }

  private void onAnswer(WaClient client, PairingCode code, Throwable error) {
    if (client != liveClient.get()) {
      return;
    }
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause() : error;
      String reason = cause instanceof PairingCodeException e ? errorCode(e.error())
          : "pairing-code-failed";
      log.warn("pairing code request failed account={} reason={} detail={}", accountId, reason,
          cause.getMessage());
      write.accept(b -> b.lastError(reason));
      return;
    }
    log.info("pairing code ready account={} expiresAt={}", accountId, code.expiresAt());
    write.accept(b -> b.pairingCode(code.code()).pairingCodeExpiresAt(code.expiresAt())
        .lastError(null));
  }

  /** {@code pairing-code-wrong-code}, {@code pairing-code-expired}, ... */
  static String errorCode(PairingCodeError error) {
    return "pairing-code-" + error.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
