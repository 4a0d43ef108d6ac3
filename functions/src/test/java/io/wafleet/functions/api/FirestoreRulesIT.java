package io.wafleet.functions.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.wafleet.common.testing.FirestoreEmulatorExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the Node rules tests (functions/src/test/node/rules, @firebase/rules-unit-testing) against
 * the same emulator, with the repository's firestore.rules. Installs the npm packages with
 * {@code npm ci} the first time. Without Node.js 20+ and npm this test fails; it never skips.
 */
class FirestoreRulesIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();
  static final Path DIR = Path.of("src", "test", "node", "rules").toAbsolutePath();
  static final Path RULES = Path.of("..", "firestore.rules").toAbsolutePath().normalize();

  @Test
  void firestoreRules_nodeRulesTests_allPass() throws Exception {
    requireTool("node");
    requireTool("npm");
    if (!Files.isDirectory(DIR.resolve("node_modules"))) {
      Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 600);
      assertEquals(0, install.exit(), () -> "npm ci failed in " + DIR + ":\n" + install.output());
    }
    Result test = run(List.of("node", "--test", "rules.test.mjs"), 300);
    assertEquals(0, test.exit(), () -> "firestore.rules tests failed:\n" + test.output());
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    File log = Files.createTempFile("rules-", ".log").toFile();
    ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
        .redirectOutput(log);
    pb.environment().put("FIRESTORE_EMULATOR_HOST", FIRESTORE.hostPort());
    pb.environment().put("RULES_FILE", RULES.toString());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n" + Files.readString(log.toPath()));
    }
    String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    System.out.println(output);
    return new Result(p.exitValue(), output);
  }

  private static void requireTool(String tool) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() == 0) {
        return;
      }
    } catch (IOException e) {
      // reported below
    }
    fail("'" + tool + "' is not runnable: install Node.js 20+ and npm (e.g. apt-get install -y nodejs npm) "
        + "to run the firestore.rules tests");
  }
}
