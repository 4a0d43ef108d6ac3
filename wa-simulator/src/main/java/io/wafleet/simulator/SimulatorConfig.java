package io.wafleet.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link WaSimulator} needs to start. Build with {@link #builder()}; every knob has a
 * default, so {@code SimulatorConfig.builder().build()} is a working simulator on free ports.
 * Immutable; thread-safe.
 *
 * @param wsPort the WebSocket port on 127.0.0.1; 0 picks a free one
 * @param adminPort the admin HTTP port on 127.0.0.1; 0 picks a free one
 * @param postHandshakeDelay wait between ClientFinish and the first encrypted frame (§1.4)
 * @param refCount how many refs one {@code pair-device} iq carries (§6.1)
 * @param firstRefTtl server-side validity of the first ref (§6.3)
 * @param nextRefTtl validity added for each later ref (§6.3)
 * @param maxFrameSize the largest inbound frame accepted; a longer one drops the connection
 * @param clock time source for ref expiry and {@code t} attributes
 * @param companionWelcome whether a phone sends a newly linked companion the app-state sync key
 *     share and history sync notification once it uploaded keys (§9.6), as WhatsApp's phone does;
 *     off only for tests that count a device's pre-keys or stanzas at the wire level
 */
public record SimulatorConfig(int wsPort, int adminPort, Duration postHandshakeDelay, int refCount,
    Duration firstRefTtl, Duration nextRefTtl, int maxFrameSize, Clock clock,
    boolean companionWelcome) {

  public static final int DEFAULT_MAX_FRAME_SIZE = 4 * 1024 * 1024;

  public SimulatorConfig {
    checkPort(wsPort, "wsPort");
    checkPort(adminPort, "adminPort");
    checkDuration(postHandshakeDelay, "postHandshakeDelay");
    checkDuration(firstRefTtl, "firstRefTtl");
    checkDuration(nextRefTtl, "nextRefTtl");
    if (refCount < 1 || refCount > 64) {
      throw new IllegalArgumentException("refCount out of 1..64: " + refCount);
    }
    if (maxFrameSize < 1024 || maxFrameSize > 0xFFFFFF) {
      throw new IllegalArgumentException("maxFrameSize out of 1024..16777215: " + maxFrameSize);
    }
    Objects.requireNonNull(clock, "clock == null");
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().wsPort(wsPort).adminPort(adminPort).postHandshakeDelay(postHandshakeDelay)
        .refCount(refCount).firstRefTtl(firstRefTtl).nextRefTtl(nextRefTtl)
        .maxFrameSize(maxFrameSize).clock(clock).companionWelcome(companionWelcome);
  }

  private static void checkPort(int port, String name) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " out of 0..65535: " + port);
    }
  }

  private static void checkDuration(Duration duration, String name) {
    Objects.requireNonNull(duration, name + " == null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(name + " < 0");
    }
  }

  /** Collects options; {@link #build()} validates them together. Not thread-safe. */
  public static final class Builder {
    private int wsPort;
    private int adminPort;
    private Duration postHandshakeDelay = Duration.ofMillis(100);
    private int refCount = 6;
    private Duration firstRefTtl = Duration.ofSeconds(60);
    private Duration nextRefTtl = Duration.ofSeconds(20);
    private int maxFrameSize = DEFAULT_MAX_FRAME_SIZE;
    private boolean companionWelcome = true;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder wsPort(int wsPort) {
      this.wsPort = wsPort;
      return this;
    }

    public Builder adminPort(int adminPort) {
      this.adminPort = adminPort;
      return this;
    }

    public Builder postHandshakeDelay(Duration postHandshakeDelay) {
      this.postHandshakeDelay = postHandshakeDelay;
      return this;
    }

    public Builder refCount(int refCount) {
      this.refCount = refCount;
      return this;
    }

    public Builder firstRefTtl(Duration firstRefTtl) {
      this.firstRefTtl = firstRefTtl;
      return this;
    }

    public Builder nextRefTtl(Duration nextRefTtl) {
      this.nextRefTtl = nextRefTtl;
      return this;
    }

    public Builder maxFrameSize(int maxFrameSize) {
      this.maxFrameSize = maxFrameSize;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder companionWelcome(boolean companionWelcome) {
      this.companionWelcome = companionWelcome;
      return this;
    }

    public SimulatorConfig build() {
      return new SimulatorConfig(wsPort, adminPort, postHandshakeDelay, refCount, firstRefTtl,
          nextRefTtl, maxFrameSize, clock, companionWelcome);
    }
  }
}
