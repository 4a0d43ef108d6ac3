package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.Firestores;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.MonitorConfigStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.store.ProbeStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.connector.app.Connector;
import io.wafleet.connector.app.ConnectorConfig;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The probes end to end, nothing stood in for: a real Connector in this process (the connector
 * service's own class, with its outbox dispatcher and inbound storage) holds the probe account and
 * the monitored account against the in-process WhatsApp simulator over real sockets, with the
 * Firestore emulator between it and the probe run.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ProbesWithRealConnectorIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final String PROBE_PHONE = "40700500001";
  private static final String PROBE_CHAT = "40700500002";
  private static final String WATCHED_PHONE = "40700500003";
  private static final Duration STEP = Duration.ofSeconds(90);

  private final Clock clock = Clock.systemUTC();
  private WaSimulator simulator;
  private SimulatorAdminClient admin;
  private Connector connector;
  private AccountStore accounts;

  @BeforeEach
  void setUp() throws Exception {
    simulator = WaSimulator.start(SimulatorConfig.builder().build());
    admin = new SimulatorAdminClient(simulator.adminUri());
    accounts = new AccountStore(FIRESTORE.firestore(), clock);
    connector = new Connector(ConnectorConfig.fromEnv(connectorEnv()),
        Firestores.connect(FIRESTORE.projectId(), FIRESTORE.hostPort()), clock, () -> { });
    connector.run();
  }

  @AfterEach
  void tearDown() {
    connector.shutdown();
    simulator.close();
  }

  @Test
  void outboundAndInboundProbes_passThroughTheRealConnector_andTheProbeChatGetsTheText() throws Exception {
    admin.createPhone(PROBE_PHONE);
    admin.createPhone(PROBE_CHAT);
    admin.createPhone(WATCHED_PHONE);
    pair("probe-1", PROBE_PHONE);
    pair("watched-1", WATCHED_PHONE);
    new MonitorConfigStore(FIRESTORE.firestore()).store(Map.of(
        ProbeConfig.OUTBOUND_ACCOUNT, "probe-1", ProbeConfig.OUTBOUND_TO, "+" + PROBE_CHAT,
        ProbeConfig.INBOUND_SENDER, "probe-1", ProbeConfig.INBOUND_ACCOUNT, "watched-1",
        ProbeConfig.TIMEOUT_SECONDS, 50L));
    ProbeStore probes = new ProbeStore(FIRESTORE.firestore());
    ProbeRunner runner = new ProbeRunner(accounts, new OutboxStore(FIRESTORE.firestore(), clock),
        new MessageStore(FIRESTORE.firestore(), clock), probes, new MonitorConfigStore(FIRESTORE.firestore()),
        ProbeConfig.defaults(), clock);

    Instant now = clock.instant();
    runner.run(now);

    Probe outbound = probes.load(ProbeType.OUTBOUND, now).orElseThrow();
    assertTrue(outbound.ok(), outbound.toString());
    Probe inbound = probes.load(ProbeType.INBOUND, now).orElseThrow();
    assertTrue(inbound.ok(), inbound.toString());
    assertEquals("watched-1", inbound.accountId());
    assertTrue(probes.load(ProbeType.QUEUE, now).orElseThrow().ok());
    Awaitility.await().atMost(STEP).until(() -> admin.inboxTexts(PROBE_CHAT).stream()
        .anyMatch(t -> t.startsWith("wafleet probe ")));
  }

  private void pair(String id, String phone) throws Exception {
    accounts.create(Account.newAccount(id, id, "+" + phone, clock.instant()));
    Awaitility.await().atMost(STEP).until(() -> accounts.load(id).map(a -> a.status() == AccountStatus.NEEDS_QR
        && a.qr() != null).orElse(false));
    admin.scan(phone, accounts.load(id).orElseThrow().qr().value());
    Awaitility.await().atMost(STEP).until(() -> accounts.load(id).map(a -> a.status() == AccountStatus.CONNECTED)
        .orElse(false));
  }

  private Map<String, String> connectorEnv() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    Map<String, String> env = new HashMap<>();
    env.put("FIRESTORE_EMULATOR_HOST", FIRESTORE.hostPort());
    env.put("GOOGLE_CLOUD_PROJECT", FIRESTORE.projectId());
    env.put("WAFLEET_WA_ENDPOINT", simulator.wsUri().toString());
    env.put("WAFLEET_WA_ROOT_KEY", HexFormat.of().formatHex(simulator.rootPublicKey()));
    env.put("WAFLEET_SESSION_KEYS", "k1:" + Base64.getEncoder().encodeToString(key));
    env.put("WAFLEET_INSTANCE_ID", "inst-probe");
    env.put("PORT", "0");
    return env;
  }
}
