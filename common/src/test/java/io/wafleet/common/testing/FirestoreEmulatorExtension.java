package io.wafleet.common.testing;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.store.Firestores;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension over the real Firestore emulator ({@link FirestoreEmulator}): one emulator per
 * test JVM, a client per test class, and every document of the class's project deleted before each
 * test through the emulator's REST reset. Register it as a static field:
 *
 * <pre>{@code @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();}</pre>
 *
 * <p>{@link #perTestClass()} gives each test class a project of its own, so its reset touches only
 * its own data and test classes could run in parallel against the one emulator.
 */
public final class FirestoreEmulatorExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  public static final String PROJECT_ID = "demo-wafleet-test";

  private final boolean projectPerClass;
  private String projectId = PROJECT_ID;
  private Firestore firestore;

  /** All test classes share {@link #PROJECT_ID}. */
  public FirestoreEmulatorExtension() {
    this(false);
  }

  private FirestoreEmulatorExtension(boolean projectPerClass) {
    this.projectPerClass = projectPerClass;
  }

  /** A project named after the test class ({@code demo-<class>}): resets touch only that class's data. */
  public static FirestoreEmulatorExtension perTestClass() {
    return new FirestoreEmulatorExtension(true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (projectPerClass) {
      projectId = projectFor(context.getRequiredTestClass());
    }
    firestore = Firestores.connect(projectId, emulator().hostPort());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    emulator().reset(projectId);
  }

  /** The project this extension's client uses. */
  public String projectId() {
    return projectId;
  }

  static String projectFor(Class<?> testClass) {
    String name = testClass.getSimpleName().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return "demo-" + (name.length() > 24 ? name.substring(0, 24) : name);
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
    emulator().reset(projectId);
  }

  private static FirestoreEmulator emulator() {
    return FirestoreEmulator.shared();
  }
}
