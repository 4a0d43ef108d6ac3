package io.wafleet.functions.alert;

import java.time.Instant;
import java.util.Objects;

/**
 * One problem to tell the operators about.
 *
 * @param subject what the alert is about, as an id: an account id, a probe type, "fleet"; with the
 *     type it keys the throttle
 * @param subjectLabel how the text names the subject: for an account its name and masked phone, never
 *     the full number
 * @param what what happened, in a few words
 * @param since when the condition began
 */
public record Alert(AlertType type, String subject, String subjectLabel, String what, Instant since) {
  public Alert {
    Objects.requireNonNull(type, "type == null");
    Objects.requireNonNull(subject, "subject == null");
    Objects.requireNonNull(subjectLabel, "subjectLabel == null");
    Objects.requireNonNull(what, "what == null");
    Objects.requireNonNull(since, "since == null");
  }
}
