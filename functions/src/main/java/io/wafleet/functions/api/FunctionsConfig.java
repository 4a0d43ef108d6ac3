package io.wafleet.functions.api;

import io.wafleet.functions.auth.AdminToken;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the API function reads from its environment, parsed and validated together; the only
 * reader of the environment in this module (CONTRIBUTING.md). docs/configuration.md lists
 * the variables. {@link #toString()} never prints the admin token. Immutable.
 *
 * @param emulatorHost host:port of the Firestore emulator, or null in production
 * @param idTokens present when Google identity tokens are accepted besides the admin token
 * @param sessionKeys WAFLEET_SESSION_KEYS, or null (then deletion uses an ephemeral key; see Stores)
 */
public record FunctionsConfig(
    String projectId,
    String emulatorHost,
    String adminToken,
    Optional<IdTokenConfig> idTokens,
    String version,
    String commit,
    Duration connectorStale,
    String sessionKeys) {

  public static final String DEFAULT_EMULATOR_PROJECT = "demo-wafleet";
  public static final String GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v3/certs";
  public static final long DEFAULT_CONNECTOR_STALE_SECONDS = 180;

  /** Which identity tokens are accepted: signed by keys at {@code certsUrl}, for {@code audience}, from these emails. */
  public record IdTokenConfig(String audience, Set<String> allowedEmails, String certsUrl) {
    public IdTokenConfig {
      Objects.requireNonNull(audience, "audience == null");
      Objects.requireNonNull(certsUrl, "certsUrl == null");
      allowedEmails = Set.copyOf(allowedEmails);
      if (allowedEmails.isEmpty()) {
        throw new IllegalArgumentException("WAFLEET_ID_TOKEN_ALLOWED_EMAILS is empty while WAFLEET_ID_TOKEN_AUDIENCE is set");
      }
    }
  }

  public FunctionsConfig {
    Objects.requireNonNull(projectId, "projectId == null");
    Objects.requireNonNull(adminToken, "adminToken == null");
    Objects.requireNonNull(idTokens, "idTokens == null");
    Objects.requireNonNull(version, "version == null");
    Objects.requireNonNull(commit, "commit == null");
    Objects.requireNonNull(connectorStale, "connectorStale == null");
    if (adminToken.length() < AdminToken.MIN_LENGTH) {
      throw new IllegalArgumentException("WAFLEET_ADMIN_TOKEN must be at least " + AdminToken.MIN_LENGTH + " characters");
    }
    if (connectorStale.isNegative() || connectorStale.isZero()) {
      throw new IllegalArgumentException("WAFLEET_CONNECTOR_STALE_SECONDS must be positive");
    }
  }

  /** Parses and validates; throws IllegalArgumentException naming the variable at fault. */
  public static FunctionsConfig fromEnv(Map<String, String> env) {
    String emulator = blankToNull(env.get("FIRESTORE_EMULATOR_HOST"));
    String project = blankToNull(env.get("GOOGLE_CLOUD_PROJECT"));
    if (project == null) {
      if (emulator == null) {
        throw new IllegalArgumentException("GOOGLE_CLOUD_PROJECT is required when FIRESTORE_EMULATOR_HOST is unset");
      }
      project = DEFAULT_EMULATOR_PROJECT;
    }
    String token = blankToNull(env.get("WAFLEET_ADMIN_TOKEN"));
    if (token == null) {
      throw new IllegalArgumentException("WAFLEET_ADMIN_TOKEN is required (at least " + AdminToken.MIN_LENGTH + " characters)");
    }
    return new FunctionsConfig(project, emulator, token, idTokens(env),
        Optional.ofNullable(blankToNull(env.get("WAFLEET_VERSION"))).orElse("dev"),
        Optional.ofNullable(blankToNull(env.get("WAFLEET_COMMIT"))).orElse("unknown"),
        Duration.ofSeconds(positiveLong(env, "WAFLEET_CONNECTOR_STALE_SECONDS", DEFAULT_CONNECTOR_STALE_SECONDS)),
        blankToNull(env.get("WAFLEET_SESSION_KEYS")));
  }

  private static Optional<IdTokenConfig> idTokens(Map<String, String> env) {
    String audience = blankToNull(env.get("WAFLEET_ID_TOKEN_AUDIENCE"));
    Set<String> emails = Arrays.stream(Optional.ofNullable(env.get("WAFLEET_ID_TOKEN_ALLOWED_EMAILS")).orElse("").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    if (audience == null) {
      if (!emails.isEmpty()) {
        throw new IllegalArgumentException("WAFLEET_ID_TOKEN_ALLOWED_EMAILS is set but WAFLEET_ID_TOKEN_AUDIENCE is not");
      }
      return Optional.empty();
    }
    String certs = Optional.ofNullable(blankToNull(env.get("WAFLEET_ID_TOKEN_CERTS_URL"))).orElse(GOOGLE_CERTS_URL);
    if (!certs.startsWith("https://") && !certs.startsWith("http://")) {
      throw new IllegalArgumentException("WAFLEET_ID_TOKEN_CERTS_URL must be an http(s) URL");
    }
    return Optional.of(new IdTokenConfig(audience, emails, certs));
  }

  private static long positiveLong(Map<String, String> env, String name, long fallback) {
    String raw = blankToNull(env.get(name));
    if (raw == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw.trim());
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be a positive number of seconds");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a positive number of seconds");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public String toString() {
    return "FunctionsConfig[projectId=" + projectId + ", emulatorHost=" + emulatorHost + ", adminToken=<redacted>"
        + ", idTokens=" + idTokens + ", version=" + version + ", commit=" + commit
        + ", connectorStale=" + connectorStale + ", sessionKeys=" + (sessionKeys == null ? "unset" : "<redacted>") + "]";
  }
}
