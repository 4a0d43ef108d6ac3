package io.wafleet.functions.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel when no Telegram bot is configured (local runs): each alert becomes one WARN log line
 * with its text, so the local stack still shows what would have been sent. Thread-safe.
 */
public final class LogChannel implements AlertChannel {

  private static final Logger log = LoggerFactory.getLogger(LogChannel.class);

  @Override
  public void send(String text) {
    log.atWarn().addKeyValue("text", text).log("alert (no Telegram configured)");
  }

  @Override
  public String describe() {
    return "log";
  }
}
