package io.wafleet.functions.alert;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.IncidentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every alert's runbook step points at a section docs/runbook.md has; every incident type alerts. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AlertTypeTest {

  @Test
  void everyRunbookStep_namesAnAnchorOfTheRunbook() throws Exception {
    String runbook = Files.readString(Path.of("..", "docs", "runbook.md"));
    Pattern anchor = Pattern.compile("docs/runbook\\.md#([a-z0-9-]+)");
    for (AlertType t : AlertType.values()) {
      Matcher m = anchor.matcher(t.runbookStep());
      assertTrue(m.find(), t + " names no runbook anchor");
      assertTrue(runbook.contains("\n### " + m.group(1) + "\n"), t + ": docs/runbook.md has no section ### " + m.group(1));
      assertTrue(m.group(1).equals(t.wireName()), t + " points at another type's section");
    }
  }

  @Test
  void everyIncidentType_hasItsAlert() {
    for (IncidentType t : IncidentType.values()) {
      assertTrue(AlertType.ofIncidentType(t.wireName()).isPresent(), t.name());
    }
  }
}
