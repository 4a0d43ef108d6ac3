package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.TestWaClient.Dialect;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import io.wafleet.simulator.server.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Each connection speaks the token dictionary its intro header names (§1.2, §4.8), over real
 * sockets: a version 2 client pairs, logs in and is answered in version 2 while a version 3 client
 * is served beside it; an intro naming an unknown version drops that connection alone, with the
 * reason logged.
 */
class DictionaryChoiceIT {

  private static final String PHONE = "40700000021";

  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorFixture.fastConfig());
    admin = new SimulatorAdminClient(sim.adminUri());
    assertEquals(201, admin.post("phones", Map.of("phone", PHONE)).status());
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void version2Client_pairsLogsInAndIsAnsweredInVersion2_besideAVersion3Client() throws Exception {
    TestCreds v3Creds = new TestCreds();
    SimulatorFixture.pair(sim, admin, v3Creds, PHONE);
    TestCreds v2Creds = new TestCreds();
    String v2Device = SimulatorFixture.pair(sim, admin, v2Creds, PHONE, Dialect.v2());

    try (TestWaClient v3 = SimulatorFixture.login(sim, v3Creds);
        TestWaClient v2 = SimulatorFixture.login(sim, v2Creds, Dialect.v2())) {
      assertEquals("result", v2.ping().attr("type"));
      assertEquals("result", v3.ping().attr("type"));
      // a usync answer holds tokens of both tables (usync, device-list, lid) and raw strings
      Node answer = v2.query("usync", "get", UsyncIT.usync("message", List.of("devices", "lid"),
          PHONE + "@s.whatsapp.net"));
      assertEquals("result", answer.attr("type"), answer.toString());
      Node user = answer.child("usync").child("list").children("user").get(0);
      List<String> ids = user.child("devices").child("device-list").children("device").stream()
          .map(device -> device.attr("id")).toList();
      assertEquals(List.of("0", "1", String.valueOf(Jid.parse(v2Device).deviceId())), ids);
      assertTrue(user.child("lid").attr("val").endsWith("@lid"), user.toString());
    }
  }

  @Test
  void unknownDictionaryVersion_dropsOnlyThatConnection_withTheReasonLogged() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(Connection.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    TestCreds creds = new TestCreds();
    SimulatorFixture.pair(sim, admin, creds, PHONE);
    try (TestWaClient witness = SimulatorFixture.login(sim, creds);
        TestWaClient bad = TestWaClient.open(sim.wsUri())) {
      bad.sendRaw(new byte[] {0x57, 0x41, 0x06, 0x07, 0, 0, 1, 0});

      assertTrue(bad.awaitClosed(), "connection with dictionary version 7 closed");
      assertEquals("result", witness.ping().attr("type"), "witness still served");
      assertTrue(appender.list.stream().map(ILoggingEvent::getFormattedMessage).anyMatch(
          message -> message.contains("reason=unsupported-dictionary")
              && message.contains("dictionary version 7")), appender.list.toString());
      assertTrue(admin.get("stats").body().get("droppedConnections").asLong() >= 1);
    } finally {
      logger.detachAppender(appender);
    }
  }
}
