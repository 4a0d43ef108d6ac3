package io.wafleet.functions.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The plain-text messages operators receive. Pure functions. */
public final class AlertText {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private AlertText() {}

  /** "[wafleet] disconnected: Shop (+*******0001)\n<what>\nSince ... (N min)\nNext step: ..." */
  public static String problem(Alert a, Instant now) {
    return "[wafleet] " + a.type().wireName() + ": " + a.subjectLabel() + "\n"
        + a.what() + "\n"
        + "Since " + TIME.format(a.since()) + " (" + human(Duration.between(a.since(), now)) + ")\n"
        + "Next step: " + a.type().runbookStep();
  }

  /** "[wafleet] RECOVERED disconnected: Shop (+*******0001)\nBack after 14 min (since ...)." */
  public static String recovery(Alert a, Duration timeToRecover) {
    return "[wafleet] RECOVERED " + a.type().wireName() + ": " + a.subjectLabel() + "\n"
        + "Back after " + human(timeToRecover) + " (since " + TIME.format(a.since()) + ").";
  }

  static String human(Duration d) {
    long minutes = Math.max(0, d.toMinutes());
    if (minutes < 1) {
      return Math.max(0, d.toSeconds()) + " s";
    }
    if (minutes < 120) {
      return minutes + " min";
    }
    return (minutes / 60) + " h " + (minutes % 60) + " min";
  }
}
