package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.firestore.Firestore;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.Direction;
import io.wafleet.common.model.OutboxItem;
import io.wafleet.common.model.OutboxStatus;
import io.wafleet.common.model.Owner;
import io.wafleet.common.model.Probe;
import io.wafleet.common.model.ProbeType;
import io.wafleet.common.model.StoredMessage;
import io.wafleet.common.store.AccountStore;
import io.wafleet.common.store.LeaseStore;
import io.wafleet.common.store.MessageStore;
import io.wafleet.common.store.MonitorConfigStore;
import io.wafleet.common.store.OutboxStore;
import io.wafleet.common.store.ProbeStore;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The probe run over the emulator. What is real: the probe's enqueue through OutboxStore (as the API
 * enqueues), its Firestore listener, its measuring and its ProbeStore writes. What the test does in
 * the connector's place: it claims the probe account and moves the outbox item SENDING → SENT
 * through OutboxStore's owner-fenced calls, exactly the calls the connector's outbox lane makes, and
 * stores the inbound message through MessageStore as the monitored account's connector does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProbeRunnerIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  private static final Instant T0 = Instant.parse("2026-11-23T10:02:00Z");
  private static final String PROBE_CHAT = "+40799999999";

  private final ManualClock clock = new ManualClock(T0);
  private Firestore db;
  private OutboxStore outbox;
  private ProbeStore probes;
  private MonitorConfigStore config;
  private ProbeRunner runner;

  @BeforeEach
  void setUp() {
    db = FIRESTORE.firestore();
    outbox = new OutboxStore(db, clock);
    probes = new ProbeStore(db);
    config = new MonitorConfigStore(db);
    runner = new ProbeRunner(new AccountStore(db, clock), outbox, new MessageStore(db, clock), probes, config,
        ProbeConfig.defaults(), clock);
    new AccountStore(db, clock).create(Account.newAccount("probe-1", "Probe", "+40700000001", T0.minus(Duration.ofDays(1))));
  }

  /** The connector's side: a live instance lease and the claim of the probe account. */
  private Owner claimAsConnector() {
    LeaseStore leases = new LeaseStore(db, clock, Duration.ZERO);
    leases.renew("conn-1", Duration.ofMinutes(5), "test", 0, 0);
    return leases.claim("probe-1", "conn-1").owner();
  }

  private static OutboxItem withStatus(OutboxItem i, OutboxStatus s, Instant now) {
    return new OutboxItem(i.id(), i.accountId(), i.to(), i.text(), s, i.attempts() + (s == OutboxStatus.SENDING ? 1 : 0),
        i.nextAttemptAt(), i.waMessageId(), null, i.createdAt(), now);
  }

  @Test
  void outboundProbe_connectorMovesTheItemToSentByTheTest_latencyIsEnqueueToAck_andTheHourIsNotSentTwice() throws Exception {
    config.store(Map.of(ProbeConfig.OUTBOUND_ACCOUNT, "probe-1", ProbeConfig.OUTBOUND_TO, PROBE_CHAT));
    Owner owner = claimAsConnector();
    String id = ProbeRunner.outboundId(T0);

    CompletableFuture<Map<String, Object>> run = CompletableFuture.supplyAsync(() -> runner.run(T0));
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> outbox.load(id).isPresent());
    OutboxItem queued = outbox.load(id).orElseThrow();
    assertEquals(List.of("probe-1", "40799999999@s.whatsapp.net", OutboxStatus.QUEUED, T0),
        List.of(queued.accountId(), queued.to(), queued.status(), queued.createdAt()));
    clock.advance(Duration.ofMillis(700));
    outbox.markSending(id, owner, "3EB0PROBE");
    clock.advance(Duration.ofMillis(534));
    outbox.advance(id, owner, i -> withStatus(i, OutboxStatus.SENT, clock.instant()));

    Map<String, Object> result = run.get(60, TimeUnit.SECONDS);
    Probe stored = probes.load(ProbeType.OUTBOUND, T0).orElseThrow();
    assertTrue(stored.ok(), stored.toString());
    assertEquals(1234, stored.latencyMs());
    assertEquals("probe-1", stored.accountId());
    assertEquals(true, ((Map<?, ?>) result.get("OUTBOUND")).get("ok"));

    clock.advance(Duration.ofMinutes(3));
    runner.run(T0.plus(Duration.ofMinutes(3)));
    assertEquals(1, outbox.countByStatus(OutboxStatus.SENT), "a second run of the hour sends nothing");
    assertEquals(0, outbox.countByStatus(OutboxStatus.QUEUED));
    assertEquals(1234, probes.load(ProbeType.OUTBOUND, T0).orElseThrow().latencyMs());
  }

  @Test
  void outboundProbe_withoutAnAck_failsAfterItsTimeout_withTheStatusItSaw() {
    config.store(Map.of(ProbeConfig.OUTBOUND_ACCOUNT, "probe-1", ProbeConfig.OUTBOUND_TO, PROBE_CHAT,
        ProbeConfig.TIMEOUT_SECONDS, 1L));
    runner.run(T0);
    Probe stored = probes.load(ProbeType.OUTBOUND, T0).orElseThrow();
    assertFalse(stored.ok());
    assertEquals("no server ack within 1 s (status QUEUED)", stored.error());
  }

  @Test
  void outboundProbe_aFailedSend_failsWithItsReason() throws Exception {
    config.store(Map.of(ProbeConfig.OUTBOUND_ACCOUNT, "probe-1", ProbeConfig.OUTBOUND_TO, PROBE_CHAT));
    Owner owner = claimAsConnector();
    String id = ProbeRunner.outboundId(T0);
    CompletableFuture<Map<String, Object>> run = CompletableFuture.supplyAsync(() -> runner.run(T0));
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> outbox.load(id).isPresent());
    outbox.advance(id, owner, i -> new OutboxItem(i.id(), i.accountId(), i.to(), i.text(), OutboxStatus.FAILED,
        i.attempts(), i.nextAttemptAt(), null, "unusable recipient", i.createdAt(), clock.instant()));
    run.get(60, TimeUnit.SECONDS);
    Probe stored = probes.load(ProbeType.OUTBOUND, T0).orElseThrow();
    assertFalse(stored.ok());
    assertEquals("FAILED: unusable recipient", stored.error());
  }

  @Test
  void queueProbe_nothingQueuedAndNoProbeMessage_drainsInZero() {
    Map<String, Object> empty = runner.run(T0);
    assertEquals("not configured", empty.get("OUTBOUND"));
    Probe none = probes.load(ProbeType.QUEUE, T0).orElseThrow();
    assertTrue(none.ok());
    assertEquals(0, none.latencyMs());
    assertNull(none.accountId());
  }

  @Test
  void queueProbe_drainTime_isFromTheRunsStartUntilTheBacklogAndTheProbeMessageLeftQueued() throws Exception {
    config.store(Map.of(ProbeConfig.OUTBOUND_ACCOUNT, "probe-1", ProbeConfig.OUTBOUND_TO, PROBE_CHAT));
    Owner owner = claimAsConnector();
    outbox.enqueue(OutboxItem.queued("m-1", "probe-1", PROBE_CHAT, "hi", T0.minusSeconds(90)));
    String probe = ProbeRunner.outboundId(T0);

    CompletableFuture<Map<String, Object>> run = CompletableFuture.supplyAsync(() -> runner.run(T0));
    // The probe message is queued behind the backlog: the run has read the backlog by then.
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> outbox.load(probe).isPresent());
    clock.advance(Duration.ofSeconds(2));
    outbox.markSending("m-1", owner, "3EB0BACKLOG");
    clock.advance(Duration.ofSeconds(3));
    outbox.markSending(probe, owner, "3EB0PROBE");
    outbox.advance(probe, owner, i -> withStatus(i, OutboxStatus.SENT, clock.instant()));

    Map<String, Object> result = run.get(60, TimeUnit.SECONDS);
    Probe queue = probes.load(ProbeType.QUEUE, T0).orElseThrow();
    assertTrue(queue.ok(), queue.toString());
    assertEquals(5000, queue.latencyMs(), "the probe message left QUEUED 5 s after the run's start");
    assertEquals("probe-1", queue.accountId(), "the account at the head of the queue");
    assertEquals(true, ((Map<?, ?>) result.get("QUEUE")).get("ok"));
    assertEquals(5000, probes.load(ProbeType.OUTBOUND, T0).orElseThrow().latencyMs());
  }

  @Test
  void queueProbe_aBacklogThatDoesNotDrain_failsAfterTheTimeout_namingTheOldest() {
    config.store(Map.of(ProbeConfig.TIMEOUT_SECONDS, 1L));
    outbox.enqueue(OutboxItem.queued("m-1", "probe-1", PROBE_CHAT, "hi", T0.minusSeconds(90)));
    outbox.enqueue(OutboxItem.queued("m-2", "probe-1", PROBE_CHAT, "hi again", T0.minusSeconds(30)));
    runner.run(T0);
    Probe stuck = probes.load(ProbeType.QUEUE, T0).orElseThrow();
    assertFalse(stuck.ok());
    assertEquals("2 of 2 outbox items still QUEUED after 1 s (the oldest queued at 10:00:30 UTC by account probe-1)",
        stuck.error());
    assertEquals("probe-1", stuck.accountId());
    assertNull(probes.load(ProbeType.OUTBOUND, T0).orElse(null));
  }

  @Test
  void aBadConfigDocument_skipsTheOutboundProbeNamingTheKey_andStillMeasuresTheQueue() {
    config.store(Map.of(ProbeConfig.OUTBOUND_ACCOUNT, "probe-1", ProbeConfig.OUTBOUND_TO, "0799"));
    Map<String, Object> result = runner.run(T0);
    assertEquals("config invalid: probeOutboundTo must be an E.164 phone number such as +40700000001",
        result.get("OUTBOUND"));
    assertTrue(probes.load(ProbeType.QUEUE, T0).orElseThrow().ok());
    assertEquals(0, outbox.countByStatus(OutboxStatus.QUEUED));
  }

  @Test
  void inboundProbe_theMonitoredConnectorStoresTheMessageByTheTest_latencyIsEnqueueToStoredAt() throws Exception {
    new AccountStore(db, clock).create(Account.newAccount("watched-1", "Shop", "+40700000002", T0.minus(Duration.ofDays(1))));
    config.store(Map.of(ProbeConfig.INBOUND_SENDER, "probe-1", ProbeConfig.INBOUND_ACCOUNT, "watched-1"));
    Owner sender = claimAsConnector();
    String id = ProbeRunner.inboundId(T0);
    String text = ProbeRunner.inboundText(T0);

    CompletableFuture<Map<String, Object>> run = CompletableFuture.supplyAsync(() -> runner.run(T0));
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> outbox.load(id).isPresent());
    OutboxItem queued = outbox.load(id).orElseThrow();
    assertEquals(List.of("probe-1", "40700000002@s.whatsapp.net", text),
        List.of(queued.accountId(), queued.to(), queued.text()));
    // The sender's connector sends it; the monitored account's connector stores an unrelated message, then the probe's.
    clock.advance(Duration.ofMillis(900));
    outbox.markSending(id, sender, "3EB0SENT");
    outbox.advance(id, sender, i -> withStatus(i, OutboxStatus.SENT, clock.instant()));
    MessageStore monitoredSide = new MessageStore(db, clock);
    monitoredSide.store(new StoredMessage("3EB0OTHER", "watched-1", "40711111111@s.whatsapp.net", Direction.INBOUND,
        "40711111111@s.whatsapp.net", "40700000002@s.whatsapp.net", "hello", null, "Someone", T0, null));
    clock.advance(Duration.ofMillis(1600));
    monitoredSide.store(new StoredMessage("3EB0PROBEIN", "watched-1", "40700000001@s.whatsapp.net", Direction.INBOUND,
        "40700000001@s.whatsapp.net", "40700000002@s.whatsapp.net", text, null, "Probe", T0.plusSeconds(2), null));

    Map<String, Object> result = run.get(60, TimeUnit.SECONDS);
    Probe stored = probes.load(ProbeType.INBOUND, T0).orElseThrow();
    assertTrue(stored.ok(), stored.toString());
    assertEquals(2500, stored.latencyMs());
    assertEquals("watched-1", stored.accountId());
    assertEquals("not configured", result.get("OUTBOUND"));
  }

  @Test
  void inboundProbe_neverStored_failsAfterItsTimeout_sayingWhereTheSendIs() {
    new AccountStore(db, clock).create(Account.newAccount("watched-1", "Shop", "+40700000002", T0.minus(Duration.ofDays(1))));
    config.store(Map.of(ProbeConfig.INBOUND_SENDER, "probe-1", ProbeConfig.INBOUND_ACCOUNT, "watched-1",
        ProbeConfig.TIMEOUT_SECONDS, 1L));
    runner.run(T0);
    Probe stored = probes.load(ProbeType.INBOUND, T0).orElseThrow();
    assertFalse(stored.ok());
    assertEquals("not stored within 1 s (the sender's item is QUEUED)", stored.error());
  }
}
