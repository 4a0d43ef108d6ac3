package io.wafleet.common.store;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import java.util.Objects;

/**
 * Builds the Firestore client. With an emulator host (FIRESTORE_EMULATOR_HOST, as the library
 * reads it) no credentials are needed; otherwise Application Default Credentials are used.
 * {@code FirestoreOptions.newBuilder()} rather than {@code getDefaultInstance()}: the latter throws
 * without ADC even when an emulator is set (docs/toolchain.md, "The Firestore emulator").
 */
public final class Firestores {

  private Firestores() {}

  /** @param emulatorHost host:port of the emulator, or null for production */
  public static Firestore connect(String projectId, String emulatorHost) {
    Objects.requireNonNull(projectId, "projectId == null");
    FirestoreOptions.Builder options = FirestoreOptions.newBuilder().setProjectId(projectId);
    if (emulatorHost != null && !emulatorHost.isBlank()) {
      options.setEmulatorHost(emulatorHost);
    }
    return options.build().getService();
  }
}
