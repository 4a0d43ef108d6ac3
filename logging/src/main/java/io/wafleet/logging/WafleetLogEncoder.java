package io.wafleet.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Logback encoder for every wafleet component: {@code <encoder class="io.wafleet.logging.WafleetLogEncoder"/>}.
 * The format is {@link LogFormat#ofThisProcess()} unless the configuration sets
 * {@code <format>json|text</format>}. Structured fields are the MDC and SLF4J 2 key-value pairs
 * ({@code log.atInfo().addKeyValue("status", 200).log("request")}).
 */
public final class WafleetLogEncoder extends EncoderBase<ILoggingEvent> {

  private volatile LogFormat format;

  /** Chooses the format explicitly (logback calls this for a {@code <format>} element). */
  public void setFormat(String value) {
    this.format = LogFormat.fromEnvironment(Map.of(LogFormat.VARIABLE, value), false);
  }

  @Override
  public void start() {
    if (format == null) {
      format = LogFormat.ofThisProcess();
    }
    super.start();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    LogFormat chosen = format == null ? LogFormat.ofThisProcess() : format;
    return chosen.render(lineOf(event)).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  static LogLine lineOf(ILoggingEvent event) {
    Map<String, Object> fields = new LinkedHashMap<>(event.getMDCPropertyMap());
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        fields.put(pair.key, pair.value);
      }
    }
    String trace = event.getThrowableProxy() == null ? null : ThrowableProxyUtil.asString(event.getThrowableProxy());
    return new LogLine(Instant.ofEpochMilli(event.getTimeStamp()), severity(event.getLevel()), event.getLoggerName(),
        event.getThreadName(), event.getFormattedMessage(), fields, trace);
  }

  /** Cloud Logging's names: logback's WARN is WARNING; TRACE is DEBUG. */
  static String severity(Level level) {
    return switch (level.levelInt) {
      case Level.ERROR_INT -> "ERROR";
      case Level.WARN_INT -> "WARNING";
      case Level.INFO_INT -> "INFO";
      default -> "DEBUG";
    };
  }
}
