package io.wafleet.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Lines written through a real logback context with the encoder, and through the JUL formatter. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WafleetLogEncoderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Logs through a fresh logback context whose only appender uses the encoder in {@code format}. */
  private static String log(String format, java.util.function.BiConsumer<Logger, LoggerContext> body) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WafleetLogEncoder encoder = new WafleetLogEncoder();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    Logger logger = context.getLogger("io.wafleet.simulator.WaSimulator");
    logger.addAppender(appender);
    body.accept(logger, context);
    appender.stop();
    context.stop();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jsonLineCarriesTheFieldsCloudLoggingReads() throws Exception {
    String out = log("json", (logger, context) -> logger.atWarn().addKeyValue("status", 503).addKeyValue("route", "/v1/health")
        .log("request {}", "done"));
    assertTrue(out.endsWith("\n") && out.indexOf('\n') == out.length() - 1, "one line: " + out);
    JsonNode line = JSON.readTree(out);
    assertEquals("WARNING", line.get("severity").asText());
    assertEquals("request done", line.get("message").asText());
    assertEquals("io.wafleet.simulator.WaSimulator", line.get("logger").asText());
    assertEquals(Thread.currentThread().getName(), line.get("thread").asText());
    assertEquals(503, line.get("status").asInt());
    assertTrue(line.get("status").isInt(), "numbers stay numbers");
    assertEquals("/v1/health", line.get("route").asText());
    Instant time = Instant.parse(line.get("time").asText());
    assertTrue(time.isAfter(Instant.parse("2020-01-01T00:00:00Z")), "time is RFC 3339: " + time);
  }

  @Test
  void jsonCarriesMdcAndTheStackTraceAndEscapesAMultiLineMessage() throws Exception {
    String out = log("json", (logger, context) -> {
      context.getMDCAdapter().put("account", "acc-1");
      logger.error("first \"quoted\"\nsecond\tline", new IllegalStateException("boom"));
    });
    assertEquals(1, out.split("\n").length, "one line: " + out);
    JsonNode line = JSON.readTree(out);
    assertEquals("ERROR", line.get("severity").asText());
    assertEquals("first \"quoted\"\nsecond\tline", line.get("message").asText());
    assertEquals("acc-1", line.get("account").asText());
    assertTrue(line.get("stack_trace").asText().startsWith("java.lang.IllegalStateException: boom"),
        line.get("stack_trace").asText());
  }

  @Test
  void textIsOneReadableLineWithItsFields() {
    String out = log("text", (logger, context) -> logger.atInfo().addKeyValue("ws", 8090).addKeyValue("note", "two words")
        .log("simulator started"));
    String[] parts = out.split(" ", 3);
    Instant.parse(parts[0]);
    assertEquals("INFO", parts[1]);
    assertTrue(out.endsWith("WaSimulator: simulator started ws=8090 note=\"two words\"\n"), out);
    assertFalse(out.contains("{"), out);
  }

  @Test
  void textPutsAStackTraceIndentedUnderItsLine() {
    String out = log("text", (logger, context) -> logger.warn("gave up", new RuntimeException("closed")));
    String[] lines = out.split("\n");
    assertTrue(lines[0].contains("WARNING") && lines[0].endsWith("WaSimulator: gave up"), lines[0]);
    assertEquals("    java.lang.RuntimeException: closed", lines[1]);
  }

  @Test
  void theSettingChoosesTheFormatAndTheDefaultFollowsWhereWeRun() {
    assertEquals(LogFormat.TEXT, LogFormat.fromEnvironment(Map.of(), true));
    assertEquals(LogFormat.JSON, LogFormat.fromEnvironment(Map.of(), false));
    assertEquals(LogFormat.JSON, LogFormat.fromEnvironment(Map.of("K_SERVICE", "wafleet-api"), true));
    assertEquals(LogFormat.TEXT, LogFormat.fromEnvironment(Map.of("WAFLEET_LOG_FORMAT", " Text "), false));
    assertEquals(LogFormat.JSON, LogFormat.fromEnvironment(Map.of("WAFLEET_LOG_FORMAT", "json"), true));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> LogFormat.fromEnvironment(Map.of("WAFLEET_LOG_FORMAT", "xml"), true));
    assertEquals("WAFLEET_LOG_FORMAT must be json or text, got 'xml'", bad.getMessage());
  }

  @Test
  void julRecordsComeOutInTheSameShape() throws Exception {
    LogRecord record = new LogRecord(Level.WARNING, "Started {0}");
    record.setParameters(new Object[] {"oejs.Server@1"});
    record.setLoggerName("org.eclipse.jetty.server.Server");
    JsonNode line = JSON.readTree(new WafleetJulFormatter(LogFormat.JSON).format(record));
    assertEquals("WARNING", line.get("severity").asText());
    assertEquals("Started oejs.Server@1", line.get("message").asText());
    assertEquals("org.eclipse.jetty.server.Server", line.get("logger").asText());
    Instant.parse(line.get("time").asText());
    assertEquals("ERROR", WafleetJulFormatter.severity(Level.SEVERE));
    assertEquals("DEBUG", WafleetJulFormatter.severity(Level.FINE));
    String text = new WafleetJulFormatter(LogFormat.TEXT).format(record);
    assertTrue(text.endsWith(" WARNING Server: Started oejs.Server@1\n"), text);
  }
}
