package io.wafleet.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * The same lines for java.util.logging, which the Functions Framework invoker and its Jetty log to
 * (through slf4j-jdk14 inside the invoker's jar). Installed by {@link JulSetup}.
 */
public final class WafleetJulFormatter extends Formatter {

  private final LogFormat format;

  public WafleetJulFormatter(LogFormat format) {
    this.format = format;
  }

  @Override
  public String format(LogRecord record) {
    String trace = null;
    if (record.getThrown() != null) {
      StringWriter text = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(text));
      trace = text.toString().stripTrailing();
    }
    return format.render(new LogLine(Instant.ofEpochMilli(record.getMillis()), severity(record.getLevel()),
        record.getLoggerName(), null, formatMessage(record), Map.of(), trace));
  }

  /** Cloud Logging's names for JUL levels: SEVERE is ERROR, CONFIG and finer are DEBUG. */
  static String severity(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (value >= Level.WARNING.intValue()) {
      return "WARNING";
    }
    return value >= Level.INFO.intValue() ? "INFO" : "DEBUG";
  }
}
