package io.wafleet.functions.monitor;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which accounts and chats the probes use, and their limits. Each value comes from
 * {@code wa_metrics/longrun/config/current} (operators change it without a deploy; keys below) or,
 * when that does not set it, from the monitor's environment (docs/configuration.md). An unset
 * account leaves its probe off. Immutable.
 *
 * @param outboundAccount the account the outbound probe sends from ({@value #OUTBOUND_ACCOUNT})
 * @param outboundTo the probe chat it sends to, an E.164 phone number ({@value #OUTBOUND_TO})
 * @param inboundSender the account the inbound probe sends from ({@value #INBOUND_SENDER})
 * @param inboundAccount the monitored account it sends to, whose connector must store the message
 *     ({@value #INBOUND_ACCOUNT})
 * @param timeout how long a probe waits for the server ack, the stored message or the queue to drain
 *     ({@value #TIMEOUT_SECONDS})
 */
public record ProbeConfig(Optional<String> outboundAccount, Optional<String> outboundTo,
    Optional<String> inboundSender, Optional<String> inboundAccount, Duration timeout) {

  public static final String OUTBOUND_ACCOUNT = "probeOutboundAccountId";
  public static final String OUTBOUND_TO = "probeOutboundTo";
  public static final String INBOUND_SENDER = "probeInboundSenderAccountId";
  public static final String INBOUND_ACCOUNT = "probeInboundAccountId";
  public static final String TIMEOUT_SECONDS = "probeTimeoutSeconds";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(40);
  /** Cloud Scheduler's attempt deadline is 60 s: the wait must end well before it. */
  public static final Duration MAX_TIMEOUT = Duration.ofSeconds(50);

  public ProbeConfig {
    Objects.requireNonNull(outboundAccount, "outboundAccount == null");
    Objects.requireNonNull(outboundTo, "outboundTo == null");
    Objects.requireNonNull(inboundSender, "inboundSender == null");
    Objects.requireNonNull(inboundAccount, "inboundAccount == null");
    Objects.requireNonNull(timeout, "timeout == null");
    if (outboundAccount.isPresent() != outboundTo.isPresent()) {
      throw new IllegalArgumentException("set both " + OUTBOUND_ACCOUNT + " and " + OUTBOUND_TO + ", or neither");
    }
    if (inboundSender.isPresent() != inboundAccount.isPresent()) {
      throw new IllegalArgumentException("set both " + INBOUND_SENDER + " and " + INBOUND_ACCOUNT + ", or neither");
    }
    if (inboundSender.isPresent() && inboundSender.equals(inboundAccount)) {
      throw new IllegalArgumentException(INBOUND_SENDER + " and " + INBOUND_ACCOUNT + " must be two accounts");
    }
    if (outboundTo.isPresent() && !outboundTo.get().matches("\\+[1-9][0-9]{6,14}")) {
      throw new IllegalArgumentException(OUTBOUND_TO + " must be an E.164 phone number such as +40700000001");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new IllegalArgumentException(TIMEOUT_SECONDS + " must be between 1 and " + MAX_TIMEOUT.toSeconds());
    }
  }

  /** Nothing configured: only the queue probe runs. */
  public static ProbeConfig defaults() {
    return new ProbeConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_TIMEOUT);
  }

  /** From the monitor's environment; throws IllegalArgumentException naming the variable at fault. */
  public static ProbeConfig fromEnv(Map<String, String> env) {
    try {
      return new ProbeConfig(text(env.get("WAFLEET_PROBE_OUTBOUND_ACCOUNT")), text(env.get("WAFLEET_PROBE_OUTBOUND_TO")),
          text(env.get("WAFLEET_PROBE_INBOUND_SENDER")), text(env.get("WAFLEET_PROBE_INBOUND_ACCOUNT")),
          seconds(env.get("WAFLEET_PROBE_TIMEOUT_SECONDS"), DEFAULT_TIMEOUT, "WAFLEET_PROBE_TIMEOUT_SECONDS"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage()
          .replace(OUTBOUND_ACCOUNT, "WAFLEET_PROBE_OUTBOUND_ACCOUNT").replace(OUTBOUND_TO, "WAFLEET_PROBE_OUTBOUND_TO")
          .replace(INBOUND_SENDER, "WAFLEET_PROBE_INBOUND_SENDER").replace(INBOUND_ACCOUNT, "WAFLEET_PROBE_INBOUND_ACCOUNT")
          .replace(TIMEOUT_SECONDS, "WAFLEET_PROBE_TIMEOUT_SECONDS"));
    }
  }

  /**
   * These values with the ones {@code stored} sets (the Firestore config document) taking
   * precedence. Throws IllegalArgumentException naming the key at fault.
   */
  public ProbeConfig overriddenBy(Map<String, Object> stored) {
    Optional<String> account = stored.containsKey(OUTBOUND_ACCOUNT) ? text(stored.get(OUTBOUND_ACCOUNT)) : outboundAccount;
    Optional<String> to = stored.containsKey(OUTBOUND_TO) ? text(stored.get(OUTBOUND_TO)) : outboundTo;
    Optional<String> sender = stored.containsKey(INBOUND_SENDER) ? text(stored.get(INBOUND_SENDER)) : inboundSender;
    Optional<String> monitored = stored.containsKey(INBOUND_ACCOUNT) ? text(stored.get(INBOUND_ACCOUNT)) : inboundAccount;
    Duration t = stored.containsKey(TIMEOUT_SECONDS) ? seconds(stored.get(TIMEOUT_SECONDS), null, TIMEOUT_SECONDS) : timeout;
    return new ProbeConfig(account, to, sender, monitored, t);
  }

  private static Optional<String> text(Object raw) {
    return raw == null || raw.toString().isBlank() ? Optional.empty() : Optional.of(raw.toString().trim());
  }

  private static Duration seconds(Object raw, Duration fallback, String name) {
    if (raw == null || raw.toString().isBlank()) {
      if (fallback != null) {
        return fallback;
      }
      throw new IllegalArgumentException(name + " must be a positive whole number of seconds");
    }
    try {
      long v = raw instanceof Number n ? n.longValue() : Long.parseLong(raw.toString().trim());
      if (v > 0) {
        return Duration.ofSeconds(v);
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException(name + " must be a positive whole number of seconds");
  }
}
