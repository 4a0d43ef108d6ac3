package io.wafleet.logging;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The two shapes of a log line, chosen by {@code WAFLEET_LOG_FORMAT} (docs/configuration.md).
 *
 * <p>JSON is one object per line with the fields Cloud Logging reads from a container's stdout
 * ({@code severity}, {@code message}, {@code time} in RFC 3339) plus {@code logger}, {@code thread},
 * the structured fields and {@code stack_trace} (which Error Reporting picks up). TEXT is one
 * readable line: time, severity, the logger's simple name, the message, then {@code key=value}
 * fields; a stack trace follows on its own lines.
 */
public enum LogFormat {
  JSON,
  TEXT;

  /** The environment variable that chooses the format. */
  public static final String VARIABLE = "WAFLEET_LOG_FORMAT";

  private static final Set<String> RESERVED = Set.of("time", "severity", "logger", "thread", "message", "stack_trace");

  /**
   * The format {@code env} asks for. Unset or empty: JSON in Cloud Run ({@code K_SERVICE} is set)
   * or when stdout is not a terminal, TEXT on a terminal.
   *
   * @throws IllegalArgumentException when the variable holds anything but json or text
   */
  public static LogFormat fromEnvironment(Map<String, String> env, boolean terminal) {
    String value = env.get(VARIABLE);
    if (value == null || value.isBlank()) {
      return env.containsKey("K_SERVICE") || !terminal ? JSON : TEXT;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "json" -> JSON;
      case "text" -> TEXT;
      default -> throw new IllegalArgumentException(
          VARIABLE + " must be json or text, got '" + value + "'");
    };
  }

  /**
   * The format of this process's environment; on a bad value, JSON, after one line on stderr that
   * says why (a logger must not stop its process over its own setting).
   */
  public static LogFormat ofThisProcess() {
    try {
      return fromEnvironment(System.getenv(), System.console() != null);
    } catch (IllegalArgumentException e) {
      System.err.println("[logging] " + e.getMessage() + "; logging JSON");
      return JSON;
    }
  }

  /** The line for {@code line}, ending with a newline. */
  public String render(LogLine line) {
    return this == JSON ? json(line) : text(line);
  }

  private static String json(LogLine line) {
    StringBuilder out = new StringBuilder(256);
    out.append("{\"time\":");
    quote(out, line.time().toString());
    out.append(",\"severity\":");
    quote(out, line.severity());
    out.append(",\"logger\":");
    quote(out, line.logger());
    if (line.thread() != null) {
      out.append(",\"thread\":");
      quote(out, line.thread());
    }
    out.append(",\"message\":");
    quote(out, line.message());
    for (Map.Entry<String, Object> field : line.fields().entrySet()) {
      String key = RESERVED.contains(field.getKey()) ? "field_" + field.getKey() : field.getKey();
      out.append(',');
      quote(out, key);
      out.append(':');
      Object value = field.getValue();
      if (value instanceof Boolean || value instanceof Integer || value instanceof Long
          || value instanceof Short || value instanceof Byte) {
        out.append(value);
      } else if (value == null) {
        out.append("null");
      } else {
        quote(out, value.toString());
      }
    }
    if (line.stackTrace() != null) {
      out.append(",\"stack_trace\":");
      quote(out, line.stackTrace());
    }
    return out.append("}\n").toString();
  }

  private static String text(LogLine line) {
    StringBuilder out = new StringBuilder(160);
    out.append(line.time()).append(' ');
    out.append(String.format(Locale.ROOT, "%-7s ", line.severity()));
    String logger = line.logger();
    out.append(logger.substring(logger.lastIndexOf('.') + 1)).append(": ");
    out.append(oneLine(line.message()));
    for (Map.Entry<String, Object> field : line.fields().entrySet()) {
      String value = String.valueOf(field.getValue());
      out.append(' ').append(field.getKey()).append('=');
      out.append(value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c == '"')
          ? "\"" + oneLine(value).replace("\"", "\\\"") + "\"" : value);
    }
    out.append('\n');
    if (line.stackTrace() != null) {
      for (String traceLine : line.stackTrace().split("\\R")) {
        out.append("    ").append(traceLine).append('\n');
      }
    }
    return out.toString();
  }

  /** Keeps a text line on one line: newlines inside a message become a visible "\n". */
  private static String oneLine(String s) {
    return s.replace("\r", "").replace("\n", "\\n");
  }

  private static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
