package io.wafleet.connector.testing;

import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.simulator.WaSimulator;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The environment a connector (in this JVM through {@code ConnectorConfig.fromEnv}, or as a child
 * process) needs to run against a test's simulator and the test class's own emulator project.
 */
public final class ConnectorEnv {

  private ConnectorEnv() {}

  /**
   * FIRESTORE_EMULATOR_HOST and GOOGLE_CLOUD_PROJECT of {@code firestore} (the class's project, never
   * a shared one), the simulator's endpoint and root key, a session key ring of one 32-byte key
   * filled with {@code keyFill}, the instance id, and PORT=0 (a free port). Mutable: tests add to it.
   */
  public static Map<String, String> of(WaSimulator simulator, FirestoreEmulatorExtension firestore,
      String instanceId, int keyFill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) keyFill);
    Map<String, String> env = new HashMap<>();
    env.put("FIRESTORE_EMULATOR_HOST", firestore.hostPort());
    env.put("GOOGLE_CLOUD_PROJECT", firestore.projectId());
    env.put("WAFLEET_WA_ENDPOINT", simulator.wsUri().toString());
    env.put("WAFLEET_WA_ROOT_KEY", HexFormat.of().formatHex(simulator.rootPublicKey()));
    env.put("WAFLEET_SESSION_KEYS", "k1:" + Base64.getEncoder().encodeToString(key));
    env.put("WAFLEET_INSTANCE_ID", instanceId);
    env.put("PORT", "0");
    return env;
  }
}
