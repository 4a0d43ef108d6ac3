package io.wafleet.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.wafleet.client.crypto.Hex;
import io.wafleet.client.crypto.KeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks our Noise math byte for byte against src/test/node/noise-vector.mjs, an
 * independent implementation on Node's built-in crypto. Needs Node.js 20+ on the PATH.
 */
class NoiseVectorTest {

  private static final Path SCRIPT = Path.of("src", "test", "node", "noise-vector.mjs");
  private static final String INSTALL_NODE = "install Node.js 20+ (apt-get install nodejs)";
  private static final byte[] TRANSPORT_PLAINTEXT = "hello transport".getBytes(StandardCharsets.UTF_8);

  @Test
  void handshake_fixedKeys_matchesNodeImplementationByteForByte() throws Exception {
    byte[] cert = ServerCertificates.selfIssued(TestKeys.SERVER_STATIC).toByteArray();
    byte[] payload = "client payload bytes".getBytes(StandardCharsets.UTF_8);
    String json = runNode(List.of(
        privateHex(TestKeys.CLIENT_STATIC), privateHex(TestKeys.CLIENT_EPHEMERAL),
        privateHex(TestKeys.SERVER_STATIC), privateHex(TestKeys.SERVER_EPHEMERAL),
        Hex.encode(cert), Hex.encode(payload), Hex.encode(TRANSPORT_PLAINTEXT)));

    HandshakePair pair = new HandshakePair();
    byte[] clientHello = pair.client.writeClientHello();
    assertEquals(field(json, "clientHello"), Hex.encode(clientHello));
    pair.server.readClientHello(clientHello);
    byte[] serverHello = pair.server.writeServerHello(cert);
    assertEquals(field(json, "serverHello"), Hex.encode(serverHello));
    pair.client.readServerHello(serverHello);
    byte[] clientFinish = pair.client.writeClientFinish(payload);
    assertEquals(field(json, "clientFinish"), Hex.encode(clientFinish));
    assertArrayEquals(payload, pair.server.readClientFinish(clientFinish).payload());

    TransportCipher client = pair.client.split();
    TransportCipher server = pair.server.split();
    assertEquals(field(json, "clientFrame0"), Hex.encode(client.encrypt(TRANSPORT_PLAINTEXT)));
    assertEquals(field(json, "clientFrame1"), Hex.encode(client.encrypt(TRANSPORT_PLAINTEXT)));
    assertEquals(field(json, "serverFrame0"), Hex.encode(server.encrypt(TRANSPORT_PLAINTEXT)));
  }

  private static String privateHex(KeyPair keys) {
    return Hex.encode(keys.privateKey());
  }

  private static String runNode(List<String> args) throws Exception {
    assertTrue(Files.isRegularFile(SCRIPT), "missing " + SCRIPT.toAbsolutePath());
    requireNode20();
    List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), "noise-vector.mjs failed: " + output);
    return output;
  }

  private static void requireNode20() throws Exception {
    String version;
    try {
      Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      process.waitFor();
    } catch (IOException e) {
      fail("node not found: " + INSTALL_NODE, e);
      return;
    }
    Matcher major = Pattern.compile("^v(\\d+)\\.").matcher(version);
    if (!major.find() || Integer.parseInt(major.group(1)) < 20) {
      fail("node " + version + " is too old: " + INSTALL_NODE);
    }
  }

  private static String field(String json, String name) {
    Matcher matcher = Pattern.compile("\"" + name + "\":\"([0-9a-f]*)\"").matcher(json);
    assertTrue(matcher.find(), "no " + name + " in " + json);
    return matcher.group(1);
  }
}
