package io.wafleet.client;

import io.wafleet.client.transport.CertificateVerifier;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;

/**
 * A {@link WaClient}'s settings, validated by {@link WaClient.Builder}. {@code scheduler} and
 * {@code executor} are the caller's (never shut down by the client); null means the process-wide
 * shared default (see {@link WaClient.Builder#executor} and {@link WaClient.Builder#scheduler}).
 * Immutable.
 */
public record ClientConfig(
    URI serverUri,
    String origin,
    CertificateVerifier certificateVerifier,
    OkHttpClient okHttpClient,
    Clock clock,
    ScheduledExecutorService scheduler,
    SecureRandom random,
    Duration connectTimeout,
    Duration keepAliveIntervalMin,
    Duration keepAliveIntervalMax,
    Duration keepAliveTimeout,
    Duration queryTimeout,
    Duration sendTimeout,
    Duration qrFirstTtl,
    Duration qrNextTtl,
    Duration pairingCodeConfirmTimeout,
    int initialPreKeyCount,
    int maxFrameLength,
    Duration loginTimeout,
    ExecutorService executor) {

  /** Upload more pre-keys when the server holds this many or fewer (§7.2). */
  public static final int MIN_PRE_KEY_COUNT = 5;
}
