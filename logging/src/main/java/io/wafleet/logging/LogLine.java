package io.wafleet.logging;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One log event, independent of the logging library that produced it.
 *
 * @param time when it happened
 * @param severity a Cloud Logging severity: DEBUG, INFO, WARNING or ERROR
 * @param logger the logger's name (usually a class name)
 * @param thread the thread's name, or null when the library does not say
 * @param message the formatted message
 * @param fields structured fields (MDC and key-value pairs), in insertion order
 * @param stackTrace the printed throwable, or null
 */
public record LogLine(Instant time, String severity, String logger, String thread, String message,
    Map<String, Object> fields, String stackTrace) {

  public LogLine {
    Objects.requireNonNull(time, "time == null");
    Objects.requireNonNull(severity, "severity == null");
    logger = logger == null ? "" : logger;
    message = message == null ? "" : message;
    fields = fields == null ? Map.of() : fields;
  }
}
