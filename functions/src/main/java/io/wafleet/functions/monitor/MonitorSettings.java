package io.wafleet.functions.monitor;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the monitor function reads from its environment besides what it shares with the API
 * ({@link io.wafleet.functions.api.FunctionsConfig}); docs/configuration.md lists the variables.
 * {@link #toString()} never prints the bot token. Immutable.
 *
 * @param telegram present when alerts go to Telegram; otherwise they are logged
 * @param connectorService the connector's Cloud Run service the watchdog restarts
 *     (projects/{p}/locations/{r}/services/{s}); empty: the watchdog only keeps the incident
 * @param connectorPidFile the local stack's connector pid file (scripts/restart-loop.sh keeps it): the
 *     watchdog restarts that process instead of a Cloud Run service; never set together with
 *     {@code connectorService}
 * @param probes the probes' accounts and limits from the environment (the Firestore config document
 *     overrides them at each run)
 */
public record MonitorSettings(Duration disconnectThreshold, Duration alertThrottle, Optional<Telegram> telegram,
    Optional<String> connectorService, Optional<Path> connectorPidFile, ProbeConfig probes) {

  public static final URI DEFAULT_TELEGRAM_API = URI.create("https://api.telegram.org");

  /** The bot, its chat and the Bot API base URL. */
  public record Telegram(URI apiUrl, String botToken, String chatId) {
    public Telegram {
      Objects.requireNonNull(apiUrl, "apiUrl == null");
      Objects.requireNonNull(botToken, "botToken == null");
      Objects.requireNonNull(chatId, "chatId == null");
    }

    @Override
    public String toString() {
      return "Telegram[apiUrl=" + apiUrl + ", botToken=<redacted>, chatId=" + chatId + "]";
    }
  }

  public MonitorSettings {
    Objects.requireNonNull(disconnectThreshold, "disconnectThreshold == null");
    Objects.requireNonNull(alertThrottle, "alertThrottle == null");
    Objects.requireNonNull(telegram, "telegram == null");
    Objects.requireNonNull(connectorService, "connectorService == null");
    Objects.requireNonNull(connectorPidFile, "connectorPidFile == null");
    Objects.requireNonNull(probes, "probes == null");
    if (connectorService.isPresent() && connectorPidFile.isPresent()) {
      throw new IllegalArgumentException(
          "set WAFLEET_CONNECTOR_SERVICE (Cloud Run) or WAFLEET_CONNECTOR_PID_FILE (local stack), not both");
    }
  }

  /** Settings whose watchdog restarts nothing locally (no pid file) and with no probes configured. */
  public MonitorSettings(Duration disconnectThreshold, Duration alertThrottle, Optional<Telegram> telegram,
      Optional<String> connectorService) {
    this(disconnectThreshold, alertThrottle, telegram, connectorService, Optional.empty(), ProbeConfig.defaults());
  }

  /** Parses and validates; throws IllegalArgumentException naming the variable at fault. */
  public static MonitorSettings fromEnv(Map<String, String> env) {
    Duration threshold = Duration.ofMinutes(positive(env, "WAFLEET_DISCONNECT_INCIDENT_MINUTES", 10));
    Duration throttle = Duration.ofMinutes(positive(env, "WAFLEET_ALERT_THROTTLE_MINUTES", 60));
    String token = blankToNull(env.get("WAFLEET_TELEGRAM_BOT_TOKEN"));
    String chat = blankToNull(env.get("WAFLEET_TELEGRAM_CHAT_ID"));
    if ((token == null) != (chat == null)) {
      throw new IllegalArgumentException("set both WAFLEET_TELEGRAM_BOT_TOKEN and WAFLEET_TELEGRAM_CHAT_ID, or neither");
    }
    Optional<Telegram> telegram = Optional.empty();
    if (token != null) {
      String rawUrl = blankToNull(env.get("WAFLEET_TELEGRAM_API_URL"));
      URI url;
      try {
        url = rawUrl == null ? DEFAULT_TELEGRAM_API : URI.create(rawUrl.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("WAFLEET_TELEGRAM_API_URL is not a URL");
      }
      if (!("https".equals(url.getScheme()) || "http".equals(url.getScheme())) || url.getHost() == null) {
        throw new IllegalArgumentException("WAFLEET_TELEGRAM_API_URL must be http(s)://host[:port]");
      }
      telegram = Optional.of(new Telegram(url, token, chat));
    }
    Optional<String> service = Optional.ofNullable(blankToNull(env.get("WAFLEET_CONNECTOR_SERVICE"))).map(String::trim);
    if (service.isPresent() && !service.get().matches("projects/[^/]+/locations/[^/]+/services/[^/]+")) {
      throw new IllegalArgumentException("WAFLEET_CONNECTOR_SERVICE must be projects/{project}/locations/{region}/services/{service}");
    }
    Optional<Path> pidFile;
    try {
      pidFile = Optional.ofNullable(blankToNull(env.get("WAFLEET_CONNECTOR_PID_FILE"))).map(raw -> Path.of(raw.trim()));
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("WAFLEET_CONNECTOR_PID_FILE is not a file path");
    }
    return new MonitorSettings(threshold, throttle, telegram, service, pidFile, ProbeConfig.fromEnv(env));
  }

  private static long positive(Map<String, String> env, String name, long fallback) {
    String raw = blankToNull(env.get(name));
    if (raw == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw.trim());
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException(name + " must be a positive whole number of minutes");
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
