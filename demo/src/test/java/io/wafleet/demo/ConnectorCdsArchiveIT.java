package io.wafleet.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connector-service/cds-archive.sh}, as the container image build and {@code ./wafleet} run
 * it: a training run of the connector jar writes a class-data-sharing archive that this JVM accepts
 * for that jar and that holds the connector's own classes.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectorCdsArchiveIT {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path SCRIPT = ROOT.resolve("connector-service/cds-archive.sh");
  private static final Path JAR = ROOT.resolve("connector-service/target/connector-service.jar");

  @Test
  void trainingRun_writesAnArchiveThisJvmAcceptsForTheJar(@TempDir Path dir) throws Exception {
    assertTrue(Files.isRegularFile(JAR), "the connector jar is packaged before this module's tests: " + JAR);
    Path archive = dir.resolve("connector.jsa");
    Result written = run(List.of(SCRIPT.toString(), JAR.toString(), archive.toString()));
    assertEquals(0, written.exit(), written.output());
    assertTrue(Files.size(archive) > 0, "archive written");

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // -Xshare:on fails instead of starting without the archive; the flag prints it and exits.
    Result checked = run(List.of(java, "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
        "-XX:+PrintSharedArchiveAndExit", "-jar", JAR.toString()));
    assertEquals(0, checked.exit(), checked.output());
    assertTrue(checked.output().contains("archive is valid"), checked.output());
    assertTrue(checked.output().contains("io.wafleet.connector.app.Connector"), "the connector's classes are in it");
  }

  @Test
  void missingJar_isRefusedWithItsPath(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("none.jar");
    Result refused = run(List.of(SCRIPT.toString(), missing.toString(), dir.resolve("a.jsa").toString()));
    assertEquals(2, refused.exit(), refused.output());
    assertTrue(refused.output().contains("no jar at " + missing), refused.output());
    assertTrue(Files.notExists(dir.resolve("a.jsa")));
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ended: " + command);
    return new Result(process.exitValue(), output);
  }
}
