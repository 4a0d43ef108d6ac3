package io.wafleet.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Finds cloud-firestore-emulator.jar: WAFLEET_FIRESTORE_EMULATOR_JAR, gcloud's SDK root, known paths. */
final class EmulatorJar {

  private static final String RELATIVE = "platform/cloud-firestore-emulator/cloud-firestore-emulator.jar";

  private EmulatorJar() {}

  static Path locate() {
    List<Path> candidates = new ArrayList<>();
    String explicit = System.getenv("WAFLEET_FIRESTORE_EMULATOR_JAR");
    if (explicit != null && !explicit.isBlank()) {
      Path p = Path.of(explicit);
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException("WAFLEET_FIRESTORE_EMULATOR_JAR=" + explicit + " is not a file. "
            + FirestoreEmulator.INSTALL_HINT);
      }
      return p;
    }
    String sdkRoot = gcloudSdkRoot();
    if (sdkRoot != null) {
      candidates.add(Path.of(sdkRoot, RELATIVE));
    }
    candidates.add(Path.of("/usr/lib/google-cloud-sdk", RELATIVE));
    candidates.add(Path.of("/usr/share/google-cloud-sdk", RELATIVE));
    candidates.add(Path.of(System.getProperty("user.home"), "google-cloud-sdk", RELATIVE));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException("The Firestore emulator was not found (looked in " + candidates + "). "
        + FirestoreEmulator.INSTALL_HINT);
  }

  private static String gcloudSdkRoot() {
    try {
      Process p = new ProcessBuilder("gcloud", "info", "--format=value(installation.sdk_root)")
          .redirectErrorStream(false).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
