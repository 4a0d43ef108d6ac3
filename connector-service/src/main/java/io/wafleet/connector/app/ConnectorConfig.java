package io.wafleet.connector.app;

import io.wafleet.client.transport.RootKeyCertificateVerifier;
import io.wafleet.common.crypto.KeyRing;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the connector reads from its environment, parsed and validated together; the only reader
 * of the environment in this module. docs/configuration.md ("Connector service") lists the variables.
 * {@link #toString()} never prints key material. Immutable.
 *
 * @param emulatorHost host:port of the Firestore emulator, or null in production
 * @param waRootKey the root key the client trusts instead of WhatsApp's (simulators only), or null
 * @param claimParallelism claim transactions in flight at once
 * @param claimBatch accounts claimed per claim transaction (one read of the own lease per batch)
 * @param maxAccounts the most accounts this instance holds, whatever its fair share
 * @param fairShareSlack how many accounts above ceil(active / live instances) an instance may claim
 * @param loopRetries reconnects within {@code loopWindow} that make a reconnect loop
 * @param timeoutsBeforeQr consecutive connect timeouts of a restored session before a QR is offered
 * @param outboxMessagesPerMinute texts one account sends per minute at most
 * @param outboxMaxAttempts attempts per outbox item before it is FAILED
 * @param clientThreads workers of the executor every WhatsApp connection's protocol and event work
 *     runs on (serial per connection); a connection's own thread is only its socket reader
 * @param phoneOfflineWarnAfter how long the account's phone may stay unseen before a
 *     {@code phone-offline} incident (WhatsApp logs a companion out after about 14 days)
 * @param activityWriteEvery the least time between two activity-timestamp writes of one account
 * @param workerThreads workers of the pool the per-account supervisors run on (they block on
 *     Firestore writes, so they wait more than they compute)
 * @param keepAliveInterval the longest time between two keepalive pings of a connection (30 s);
 *     each wait is drawn anew between two thirds of it and it (20–30 s, as whatsmeow does), so
 *     accounts restored together do not all ping in the same instant
 * @param keepAliveTimeout how long a ping may go unanswered (and silence beyond the wait before a
 *     ping may last) before the connection counts as lost and is reconnected
 * @param instanceLockDir where the per-instance-id lock file lives: a process restarted under the
 *     same {@code instanceId} on this host finds it free when the earlier one is gone and takes its
 *     accounts back at once
 */
public record ConnectorConfig(
    String projectId,
    String emulatorHost,
    URI waEndpoint,
    byte[] waRootKey,
    KeyRing sessionKeys,
    String instanceId,
    int port,
    Duration connectTimeout,
    Duration leaseTtl,
    Duration leaseRenewEvery,
    Duration leaseSkew,
    int claimParallelism,
    int claimBatch,
    int maxAccounts,
    int fairShareSlack,
    String version,
    int loopRetries,
    Duration loopWindow,
    int timeoutsBeforeQr,
    int outboxMessagesPerMinute,
    int outboxMaxAttempts,
    int clientThreads,
    Duration phoneOfflineWarnAfter,
    Duration activityWriteEvery,
    int workerThreads,
    Duration keepAliveInterval,
    Duration keepAliveTimeout,
    java.nio.file.Path instanceLockDir) {

  public static final String DEFAULT_EMULATOR_PROJECT = "demo-wafleet";
  public static final URI WHATSAPP_ENDPOINT = URI.create("wss://web.whatsapp.com/ws/chat");

  public ConnectorConfig {
    Objects.requireNonNull(projectId, "projectId == null");
    Objects.requireNonNull(waEndpoint, "waEndpoint == null");
    Objects.requireNonNull(sessionKeys, "sessionKeys == null");
    Objects.requireNonNull(instanceId, "instanceId == null");
    Objects.requireNonNull(connectTimeout, "connectTimeout == null");
    Objects.requireNonNull(leaseTtl, "leaseTtl == null");
    Objects.requireNonNull(leaseRenewEvery, "leaseRenewEvery == null");
    Objects.requireNonNull(leaseSkew, "leaseSkew == null");
    Objects.requireNonNull(version, "version == null");
    Objects.requireNonNull(loopWindow, "loopWindow == null");
    Objects.requireNonNull(phoneOfflineWarnAfter, "phoneOfflineWarnAfter == null");
    Objects.requireNonNull(activityWriteEvery, "activityWriteEvery == null");
    Objects.requireNonNull(keepAliveInterval, "keepAliveInterval == null");
    Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout == null");
    Objects.requireNonNull(instanceLockDir, "instanceLockDir == null");
    waRootKey = waRootKey == null ? null : waRootKey.clone();
    if (leaseRenewEvery.compareTo(leaseTtl) >= 0) {
      throw new IllegalArgumentException("WAFLEET_LEASE_RENEW_SECONDS must be shorter than WAFLEET_LEASE_TTL_SECONDS");
    }
  }

  /** Parses and validates; throws IllegalArgumentException naming the variable at fault. */
  public static ConnectorConfig fromEnv(Map<String, String> env) {
    String emulator = get(env, "FIRESTORE_EMULATOR_HOST");
    String project = get(env, "GOOGLE_CLOUD_PROJECT");
    if (project == null) {
      if (emulator == null) {
        throw new IllegalArgumentException("GOOGLE_CLOUD_PROJECT is required when FIRESTORE_EMULATOR_HOST is unset");
      }
      project = DEFAULT_EMULATOR_PROJECT;
    }
    return new ConnectorConfig(project, emulator, endpoint(env), rootKey(env), sessionKeys(env), instanceId(env),
        intIn(env, "PORT", 8080, 0, 65535),
        Duration.ofSeconds(intIn(env, "WAFLEET_CONNECT_TIMEOUT_SECONDS", 60, 1, 3600)),
        Duration.ofSeconds(intIn(env, "WAFLEET_LEASE_TTL_SECONDS", 30, 2, 3600)),
        Duration.ofSeconds(intIn(env, "WAFLEET_LEASE_RENEW_SECONDS", 10, 1, 3600)),
        Duration.ofSeconds(intIn(env, "WAFLEET_LEASE_SKEW_SECONDS", 5, 0, 600)),
        intIn(env, "WAFLEET_CLAIM_PARALLELISM", 4, 1, 256),
        intIn(env, "WAFLEET_CLAIM_BATCH", 25, 1, 500),
        intIn(env, "WAFLEET_MAX_ACCOUNTS", 3000, 1, 100_000),
        intIn(env, "WAFLEET_FAIR_SHARE_SLACK", 2, 0, 100_000),
        Optional.ofNullable(get(env, "WAFLEET_VERSION")).orElse("dev"),
        intIn(env, "WAFLEET_RECONNECT_LOOP_RETRIES", 10, 2, 1000),
        Duration.ofSeconds(intIn(env, "WAFLEET_RECONNECT_LOOP_WINDOW_SECONDS", 600, 10, 86_400)),
        intIn(env, "WAFLEET_TIMEOUTS_BEFORE_QR", 3, 1, 1000),
        intIn(env, "WAFLEET_OUTBOX_MESSAGES_PER_MINUTE", 20, 1, 600),
        intIn(env, "WAFLEET_OUTBOX_MAX_ATTEMPTS", 5, 1, 100),
        intIn(env, "WAFLEET_CLIENT_THREADS", 16, 1, 1024),
        Duration.ofDays(intIn(env, "WAFLEET_PHONE_OFFLINE_WARN_DAYS", 12, 1, 30)),
        Duration.ofSeconds(intIn(env, "WAFLEET_ACTIVITY_WRITE_SECONDS", 60, 1, 3600)),
        intIn(env, "WAFLEET_WORKER_THREADS", 32, 1, 1024),
        Duration.ofSeconds(intIn(env, "WAFLEET_KEEPALIVE_SECONDS", 30, 1, 600)),
        Duration.ofSeconds(intIn(env, "WAFLEET_KEEPALIVE_TIMEOUT_SECONDS", 10, 1, 600)),
        instanceLockDir(env));
  }

  /** WAFLEET_INSTANCE_LOCK_DIR, else the JVM's temporary directory; must be an absolute path. */
  private static java.nio.file.Path instanceLockDir(Map<String, String> env) {
    String raw = get(env, "WAFLEET_INSTANCE_LOCK_DIR");
    if (raw == null) {
      return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
    }
    try {
      java.nio.file.Path dir = java.nio.file.Path.of(raw.strip());
      if (!dir.isAbsolute()) {
        throw new IllegalArgumentException("WAFLEET_INSTANCE_LOCK_DIR must be an absolute path");
      }
      return dir;
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException("WAFLEET_INSTANCE_LOCK_DIR is not a path");
    }
  }

  /** The trusted root public key, or null for WhatsApp's own. */
  @Override
  public byte[] waRootKey() {
    return waRootKey == null ? null : waRootKey.clone();
  }

  private static URI endpoint(Map<String, String> env) {
    String raw = get(env, "WAFLEET_WA_ENDPOINT");
    if (raw == null) {
      return WHATSAPP_ENDPOINT;
    }
    try {
      URI uri = new URI(raw.strip());
      if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("WAFLEET_WA_ENDPOINT must be a ws:// or wss:// URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("WAFLEET_WA_ENDPOINT is not a URL");
    }
  }

  private static byte[] rootKey(Map<String, String> env) {
    String raw = get(env, "WAFLEET_WA_ROOT_KEY");
    if (raw == null) {
      return null;
    }
    try {
      return RootKeyCertificateVerifier.decodeRootKey(raw);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("WAFLEET_WA_ROOT_KEY: " + e.getMessage());
    }
  }

  private static KeyRing sessionKeys(Map<String, String> env) {
    String raw = get(env, "WAFLEET_SESSION_KEYS");
    if (raw == null) {
      throw new IllegalArgumentException("WAFLEET_SESSION_KEYS is required (id:base64key,...; 32-byte AES keys)");
    }
    try {
      return KeyRing.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("WAFLEET_SESSION_KEYS: " + e.getMessage());
    }
  }

  /** WAFLEET_INSTANCE_ID, else K_REVISION (Cloud Run) or the host name, plus a random suffix. */
  private static String instanceId(Map<String, String> env) {
    String explicit = get(env, "WAFLEET_INSTANCE_ID");
    if (explicit != null) {
      String id = explicit.strip();
      if (!id.matches("[A-Za-z0-9._-]{1,100}")) {
        throw new IllegalArgumentException("WAFLEET_INSTANCE_ID must be 1-100 of [A-Za-z0-9._-]");
      }
      return id;
    }
    String base = Optional.ofNullable(get(env, "K_REVISION")).orElseGet(() -> Optional.ofNullable(get(env, "HOSTNAME"))
        .orElse("connector"));
    base = base.replaceAll("[^A-Za-z0-9._-]", "-");
    base = base.length() > 80 ? base.substring(0, 80) : base;
    byte[] suffix = new byte[4];
    new SecureRandom().nextBytes(suffix);
    return base + "-" + HexFormat.of().formatHex(suffix);
  }

  private static int intIn(Map<String, String> env, String name, int fallback, int min, int max) {
    String raw = get(env, name);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.strip());
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number between " + min + " and " + max);
    }
  }

  private static String get(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public String toString() {
    return "ConnectorConfig[projectId=" + projectId + ", emulatorHost=" + emulatorHost + ", waEndpoint=" + waEndpoint
        + ", waRootKey=" + (waRootKey == null ? "whatsapp" : "override") + ", sessionKeys=<redacted>"
        + ", instanceId=" + instanceId + ", port=" + port + ", connectTimeout=" + connectTimeout
        + ", leaseTtl=" + leaseTtl + ", leaseRenewEvery=" + leaseRenewEvery + ", leaseSkew=" + leaseSkew + ", instanceLockDir=" + instanceLockDir
        + ", claimParallelism=" + claimParallelism + ", claimBatch=" + claimBatch + ", maxAccounts=" + maxAccounts
        + ", fairShareSlack=" + fairShareSlack + ", version=" + version + ", loopRetries=" + loopRetries
        + ", loopWindow=" + loopWindow + ", timeoutsBeforeQr=" + timeoutsBeforeQr
        + ", outboxMessagesPerMinute=" + outboxMessagesPerMinute + ", outboxMaxAttempts=" + outboxMaxAttempts
        + ", clientThreads=" + clientThreads + ", phoneOfflineWarnAfter=" + phoneOfflineWarnAfter
        + ", activityWriteEvery=" + activityWriteEvery + ", workerThreads=" + workerThreads
        + ", keepAliveInterval=" + keepAliveInterval
        + ", keepAliveTimeout=" + keepAliveTimeout + "]";
  }
}
