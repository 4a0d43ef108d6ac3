package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.transport.FrameWriter;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input drops only the offending connection: a logged-in witness connection keeps answering
 * pings after each case, and {@code droppedConnections} counts the drop.
 */
class BadInputIT {

  private static final byte[] INTRO = {0x57, 0x41, 0x06, 0x03};

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private TestWaClient witness;

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorFixture.fastConfig());
    admin = new SimulatorAdminClient(sim.adminUri());
    admin.post("phones", Map.of("phone", "40700000009"));
    TestCreds creds = new TestCreds();
    SimulatorFixture.pair(sim, admin, creds, "40700000009");
    witness = SimulatorFixture.login(sim, creds);
  }

  @AfterEach
  void stop() {
    witness.close();
    sim.close();
  }

  @Test
  void garbageAfterGoodIntro_dropsOnlyThatConnection() throws Exception {
    assertDroppedAfterRaw(concat(INTRO, new byte[] {0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8}));
  }

  @Test
  void wrongIntro_dropsOnlyThatConnection() throws Exception {
    assertDroppedAfterRaw(new byte[] {0x58, 0x58, 0x06, 0x03, 0, 0, 1, 0});
  }

  @Test
  void badClientHelloProtobuf_dropsOnlyThatConnection() throws Exception {
    assertDroppedAfterRaw(concat(INTRO, new byte[] {0, 0, 4, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
        (byte) 0xFF}));
  }

  @Test
  void oversizedFrameLength_dropsOnlyThatConnection() throws Exception {
    assertDroppedAfterRaw(concat(INTRO, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1}));
  }

  @Test
  void zeroLengthFrame_dropsOnlyThatConnection() throws Exception {
    assertDroppedAfterRaw(concat(INTRO, new byte[] {0, 0, 0}));
  }

  @Test
  void frameFailingGcm_dropsOnlyThatConnection() throws Exception {
    try (TestWaClient bad = loggedIn()) {
      bad.sendRaw(FrameWriter.server().frame(new byte[40]));
      assertDropped(bad);
    }
  }

  @Test
  void unknownTokenInEncryptedFrame_dropsOnlyThatConnection() throws Exception {
    try (TestWaClient bad = loggedIn()) {
      bad.sendEncrypted(new byte[] {0, (byte) 0xF8, 1, (byte) 0xF0});
      assertDropped(bad);
    }
  }

  @Test
  void truncatedNodeInEncryptedFrame_dropsOnlyThatConnection() throws Exception {
    try (TestWaClient bad = loggedIn()) {
      bad.sendEncrypted(new byte[] {0, (byte) 0xF8, 5, 0x19, 0x08});
      assertDropped(bad);
    }
  }

  @Test
  void textMessage_dropsOnlyThatConnection() throws Exception {
    try (TestWaClient bad = TestWaClient.open(sim.wsUri())) {
      bad.sendText("hello");
      assertDropped(bad);
    }
  }

  /** A second device of the same phone, logged in: its frames are encrypted and accepted. */
  private TestWaClient loggedIn() throws Exception {
    TestCreds creds = new TestCreds();
    SimulatorFixture.pair(sim, admin, creds, "40700000009");
    return SimulatorFixture.login(sim, creds);
  }

  private void assertDroppedAfterRaw(byte[] bytes) throws Exception {
    try (TestWaClient bad = TestWaClient.open(sim.wsUri())) {
      bad.sendRaw(bytes);
      assertDropped(bad);
    }
  }

  private void assertDropped(TestWaClient bad) throws Exception {
    assertTrue(bad.awaitClosed(), "offending connection closed");
    assertEquals("result", witness.ping().attr("type"), "witness still served");
    assertTrue(admin.get("stats").body().get("droppedConnections").asLong() >= 1);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
