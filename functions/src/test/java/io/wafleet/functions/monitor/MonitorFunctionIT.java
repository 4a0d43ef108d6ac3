package io.wafleet.functions.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.functions.invoker.runner.Invoker;
import io.wafleet.common.model.Account;
import io.wafleet.common.model.AccountStatus;
import io.wafleet.common.model.IncidentState;
import io.wafleet.common.testing.FirestoreEmulatorExtension;
import io.wafleet.common.testing.ManualClock;
import io.wafleet.functions.api.FunctionsConfig;
import io.wafleet.functions.api.Stores;
import io.wafleet.functions.auth.FakeGoogleCerts;
import io.wafleet.functions.http.Json;
import io.wafleet.functions.schedule.JobsFile;
import io.wafleet.functions.schedule.LocalScheduler;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The monitor function through the real Functions Framework: Cloud Scheduler's OIDC tokens (signed
 * by a local fake of Google's keys), the schedule-time header, idempotent retries, bad requests,
 * and the local scheduler firing scheduler/jobs.yaml at it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MonitorFunctionIT {

  @RegisterExtension static final FirestoreEmulatorExtension FIRESTORE = new FirestoreEmulatorExtension();

  static final String AUDIENCE = "https://europe-west1-demo.cloudfunctions.net/wafleet-monitor";
  static final String SCHEDULER = "wafleet-scheduler@demo.iam.gserviceaccount.com";
  static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdefghijklmnop";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private static FakeGoogleCerts certs;
  private static Invoker invoker;
  private static int port;
  private static final ManualClock clock = new ManualClock(T0);
  private static Stores stores;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void start() throws Exception {
    certs = FakeGoogleCerts.start();
    stores = Stores.over(FIRESTORE.firestore(), null, clock);
    FunctionsConfig config = new FunctionsConfig("demo-wafleet-test", null, ADMIN_TOKEN,
        Optional.of(new FunctionsConfig.IdTokenConfig(AUDIENCE, Set.of(SCHEDULER), certs.certsUrl())), "1.2.3",
        "abc", Duration.ofSeconds(180), null);
    TestMonitorFunction.delegate = new MonitorFunction(stores, config, MonitorSettings.fromEnv(Map.of()), clock);
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    invoker = new Invoker(port, TestMonitorFunction.class.getName(), "http", TestMonitorFunction.class.getClassLoader());
    invoker.startTestServer();
  }

  @AfterAll
  static void stop() throws Exception {
    invoker.stopServer();
    certs.close();
  }

  private HttpResponse<String> call(String method, String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String bearer(String email) {
    return "Bearer " + certs.token(email, AUDIENCE, clock.instant().minusSeconds(5), clock.instant().plusSeconds(3600));
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.mapper().readTree(r.body());
  }

  @Test
  void schedulerOidcToken_runsTheJobForItsScheduledMinute_andARetryIsNoDuplicate() throws Exception {
    clock.set(T0.plusSeconds(3600 + 4));
    Map<String, String> headers = Map.of("Authorization", bearer(SCHEDULER),
        MonitorFunction.SCHEDULE_TIME_HEADER, "2026-11-23T11:00:00Z");
    HttpResponse<String> first = call("POST", "/jobs/heartbeat", headers);
    assertEquals(200, first.statusCode(), first.body());
    assertEquals("2026-11-23T11:00:00Z", json(first).path("result").path("bucket").asText());
    assertEquals(4000, json(first).path("result").path("driftMs").asLong());
    clock.advance(Duration.ofSeconds(20));
    HttpResponse<String> retry = call("POST", "/jobs/heartbeat", headers);
    assertEquals(200, retry.statusCode(), retry.body());
    assertEquals(1, stores.heartbeats().list(T0.plusSeconds(3600), T0.plusSeconds(7200)).size());
  }

  @Test
  void badCallers_andBadRequests_getTypedErrors() throws Exception {
    clock.set(T0);
    HttpResponse<String> none = call("POST", "/jobs/heartbeat", Map.of());
    assertEquals(401, none.statusCode(), none.body());
    assertEquals("unauthenticated", json(none).path("code").asText());
    HttpResponse<String> stranger = call("POST", "/jobs/heartbeat", Map.of("Authorization", bearer("someone@example.com")));
    assertEquals(403, stranger.statusCode(), stranger.body());
    HttpResponse<String> get = call("GET", "/jobs/heartbeat", Map.of("Authorization", bearer(SCHEDULER)));
    assertEquals(405, get.statusCode(), get.body());
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));
    HttpResponse<String> unknown = call("POST", "/jobs/nope", Map.of("Authorization", bearer(SCHEDULER)));
    assertEquals(404, unknown.statusCode(), unknown.body());
    HttpResponse<String> badTime = call("POST", "/jobs/heartbeat",
        Map.of("Authorization", bearer(SCHEDULER), MonitorFunction.SCHEDULE_TIME_HEADER, "yesterday"));
    assertEquals(400, badTime.statusCode(), badTime.body());
    assertEquals(MonitorFunction.SCHEDULE_TIME_HEADER, json(badTime).path("field").asText());
  }

  @Test
  void localScheduler_firesEveryJobOfJobsYaml_andTheGuardOpensOneIncident() throws Exception {
    clock.set(T0.plusSeconds(7200));
    stores.accounts().create(Account.newAccount("m1", "Shop", "+40700000009", T0).toBuilder()
        .status(AccountStatus.DISCONNECTED).lastDisconnectAt(T0).build());
    LocalScheduler scheduler = new LocalScheduler(JobsFile.read(Path.of("..", "scheduler", "jobs.yaml")),
        Map.of("wafleet-monitor", URI.create("http://127.0.0.1:" + port)), ADMIN_TOKEN);
    List<LocalScheduler.Fired> fired = scheduler.fireDue(clock.instant());
    assertEquals(List.of(new LocalScheduler.Fired("heartbeat", 200), new LocalScheduler.Fired("disconnect-guard", 200),
        new LocalScheduler.Fired("probe-guard", 200), new LocalScheduler.Fired("watchdog", 200),
        new LocalScheduler.Fired("alerts", 200)), fired);
    assertEquals(List.of("heartbeat", "disconnect-guard", "watchdog", "alerts"),
        scheduler.fireDue(clock.instant().plusSeconds(60)).stream().map(LocalScheduler.Fired::job).toList());
    assertEquals(List.of(new LocalScheduler.Fired("heartbeat", 200), new LocalScheduler.Fired("disconnect-guard", 200),
        new LocalScheduler.Fired("probes", 200), new LocalScheduler.Fired("watchdog", 200),
        new LocalScheduler.Fired("alerts", 200)), scheduler.fireDue(clock.instant().plusSeconds(120)));
    assertTrue(stores.probes().load(io.wafleet.common.model.ProbeType.QUEUE, clock.instant()).orElseThrow().ok(),
        "the probes job measured the (empty) queue");
    assertEquals(1, stores.incidents().list(IncidentState.OPEN, 10).stream().filter(i -> i.subject().equals("m1")).count());
    assertTrue(stores.heartbeats().list(clock.instant(), clock.instant().plusSeconds(60)).size() == 1);
  }
}
