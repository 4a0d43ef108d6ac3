package io.wafleet.common.testing;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.store.Firestores;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension over the real Firestore emulator ({@link FirestoreEmulator}): one emulator per
 * test JVM, a client per test class, and every document deleted before each test through the
 * emulator's REST reset. Register it as a static field:
 *
 * <pre>{@code @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();}</pre>
 */
public final class FirestoreEmulatorExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  public static final String PROJECT_ID = "demo-wafleet-test";

  private Firestore firestore;

  @Override
  public void beforeAll(ExtensionContext context) {
    firestore = Firestores.connect(PROJECT_ID, emulator().hostPort());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    emulator().reset(PROJECT_ID);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (firestore != null) {
      firestore.close();
      firestore = null;
    }
  }

  /** The client of the current test class, connected to the emulator. */
  public Firestore firestore() {
    if (firestore == null) {
      throw new IllegalStateException("use the extension as a static @RegisterExtension field");
    }
    return firestore;
  }

  /** host:port of the emulator, for processes a test starts (functions, connector). */
  public String hostPort() {
    return emulator().hostPort();
  }

  public void reset() {
    emulator().reset(PROJECT_ID);
  }

  private static FirestoreEmulator emulator() {
    return FirestoreEmulator.shared();
  }
}
