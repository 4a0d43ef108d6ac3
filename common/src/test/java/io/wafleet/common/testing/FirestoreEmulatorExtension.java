package io.wafleet.common.testing;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.store.Firestores;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.CRC32;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension over the real Firestore emulator ({@link FirestoreEmulator}): one emulator per
 * test JVM, and for each test class a project of its own ({@link #projectFor}) with a client on it.
 * Before each test the class's project is emptied, so each test starts with no data and sees none
 * of its siblings'; after the class its project is emptied once more. No other project is ever
 * touched, so test classes could run in parallel against the one emulator. Register it as a static
 * field:
 *
 * <pre>{@code @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();}</pre>
 *
 * <p>A process the test starts (functions, connector) must be given {@link #projectId()} (as
 * GOOGLE_CLOUD_PROJECT) and {@link #hostPort()} (as FIRESTORE_EMULATOR_HOST) to see the class's data.
 */
public final class FirestoreEmulatorExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private String projectId;
  private Firestore firestore;

  public FirestoreEmulatorExtension() {}

  /** The same as the constructor: a project named after the test class. */
  public static FirestoreEmulatorExtension perTestClass() {
    return new FirestoreEmulatorExtension();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    open(context.getRequiredTestClass());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    reset();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  /** What {@link #beforeAll} does for {@code testClass}. */
  void open(Class<?> testClass) {
    projectId = projectFor(testClass);
    firestore = Firestores.connect(projectId, emulator().hostPort());
  }

  /** What {@link #afterAll} does: closes the client and empties the class's project. */
  void close() throws Exception {
    if (firestore != null) {
      firestore.close();
      firestore = null;
    }
    if (projectId != null) {
      emulator().reset(projectId);
    }
  }

  /**
   * {@code demo-<simple name>-<crc32 of the full name>}: readable in the emulator's logs, distinct
   * for two classes of one simple name in different packages, and at most 30 characters (the
   * longest project id Google Cloud allows). The {@code demo-} prefix marks a project that exists
   * only in emulators.
   */
  static String projectFor(Class<?> testClass) {
    String name = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    CRC32 crc = new CRC32();
    crc.update(testClass.getName().getBytes(StandardCharsets.UTF_8));
    String hash = HexFormat.of().toHexDigits((int) crc.getValue());
    return "demo-" + (name.length() > 16 ? name.substring(0, 16) : name) + "-" + hash;
  }

  /** The project of the current test class. */
  public String projectId() {
    if (projectId == null) {
      throw new IllegalStateException("use the extension as a static @RegisterExtension field");
    }
    return projectId;
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

  /** Deletes every document of this class's project (and of no other). */
  public void reset() {
    emulator().reset(projectId());
  }

  private static FirestoreEmulator emulator() {
    return FirestoreEmulator.shared();
  }
}
