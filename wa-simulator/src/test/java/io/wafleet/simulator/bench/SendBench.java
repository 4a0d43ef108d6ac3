package io.wafleet.simulator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import io.wafleet.client.SendResult;
import io.wafleet.client.WaClient;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.event.Connected;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./wafleet bench send [count] [phones]}: wa-client and Baileys each send the same number of
 * texts (default 5,000) to simulated phones through one in-process simulator, one after the other,
 * each with at most {@value #WINDOW} messages waiting for the server's ack. Prints messages/s and
 * CPU seconds per 1,000 messages for both and their ratio; the last line is JSON.
 *
 * <p>CPU: wa-client's figure is this JVM's process CPU during its run, which includes the
 * in-process simulator relaying and the phones decrypting (nothing subtracted); Baileys' is the
 * Node process's own {@code process.cpuUsage()}. The JVM's CPU during the Baileys run (simulator
 * and phones only) is printed as well, so the simulator's share can be judged.
 */
public final class SendBench {

  private static final int WINDOW = 64;
  private static final int WARM_UP = 200;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NODE_DIR = Path.of("wa-simulator/src/test/node/baileys").toAbsolutePath();

  private record Run(int count, double seconds, double cpuSeconds) {
    double perSecond() {
      return count / seconds;
    }

    double cpuPerThousand() {
      return cpuSeconds * 1000.0 / count;
    }
  }

  private SendBench() {
  }

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int phoneCount = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(ch.qos.logback.classic.Level.WARN);
    try (WaSimulator sim = WaSimulator.start(SimulatorConfig.builder().build())) {
      SimulatorAdminClient admin = new SimulatorAdminClient(sim.adminUri());
      admin.createPhone("40790000001");
      admin.createPhone("40790000002");
      List<Jid> targets = new ArrayList<>();
      for (int i = 0; i < phoneCount; i++) {
        String number = String.format(Locale.ROOT, "407910%05d", i);
        admin.createPhone(number);
        targets.add(Jid.of(number, Jid.SERVER));
      }
      WaClient client = pairedClient(sim, admin, "40790000001");
      sendWithClient(client, targets, WARM_UP, "warm");
      Run ours = measure(() -> sendWithClient(client, targets, count, "run"), count);
      client.close();
      runBaileysAndReport(sim, admin, targets, count, ours);
    }
    System.exit(0);
  }

  private static void runBaileysAndReport(WaSimulator sim, SimulatorAdminClient admin, List<Jid> targets,
      int count, Run ours) throws Exception {
    Path auth = Files.createTempDirectory("bench-baileys");
    Process node = new ProcessBuilder("node", "bench-peer.mjs", sim.wsUri().toString(),
        auth.toString()).directory(NODE_DIR.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BlockingQueue<JsonNode> events = stdoutEvents(node);
      admin.scan("40790000002", awaitEvent(events, "qr").path("qr").asText());
      awaitEvent(events, "open");
      List<String> jids = targets.stream().map(Jid::toString).toList();
      bench(node, events, jids, WARM_UP);
      long jvmCpu = processCpuNanos();
      JsonNode done = bench(node, events, jids, count);
      double simCpu = (processCpuNanos() - jvmCpu) / 1e9;
      Run baileys = new Run(count, done.path("ms").asDouble() / 1000.0,
          (done.path("cpuUserMicros").asLong() + done.path("cpuSystemMicros").asLong()) / 1e6);
      if (done.path("acked").asInt() != count) {
        throw new IllegalStateException("Baileys: only " + done.path("acked") + " of " + count
            + " acked");
      }
      report(ours, baileys, simCpu);
    } finally {
      node.destroy();
    }
  }

  private static void report(Run ours, Run baileys, double simCpuDuringBaileys) {
    System.out.printf(Locale.ROOT, "wa-client: %d texts in %.2f s = %.0f msg/s, CPU %.3f s per 1,000"
        + " (JVM incl. in-process simulator)%n", ours.count(), ours.seconds(), ours.perSecond(),
        ours.cpuPerThousand());
    System.out.printf(Locale.ROOT, "Baileys:   %d texts in %.2f s = %.0f msg/s, CPU %.3f s per 1,000"
        + " (node process)%n", baileys.count(), baileys.seconds(), baileys.perSecond(),
        baileys.cpuPerThousand());
    System.out.printf(Locale.ROOT, "simulator JVM CPU during the Baileys run: %.3f s per 1,000%n",
        simCpuDuringBaileys * 1000.0 / baileys.count());
    double speed = ours.perSecond() / baileys.perSecond();
    double cpu = ours.cpuPerThousand() / baileys.cpuPerThousand();
    System.out.printf(Locale.ROOT, "ratio wa-client/Baileys: throughput %.2fx, CPU per message %.2fx%n",
        speed, cpu);
    System.out.printf(Locale.ROOT, "{\"bench\":\"send\",\"count\":%d,\"waClient\":{\"msgPerSec\":%.1f,"
        + "\"cpuSecPer1000\":%.4f},\"baileys\":{\"msgPerSec\":%.1f,\"cpuSecPer1000\":%.4f},"
        + "\"simulatorCpuSecPer1000DuringBaileys\":%.4f,\"throughputRatio\":%.3f,\"cpuRatio\":%.3f}%n",
        ours.count(), ours.perSecond(), ours.cpuPerThousand(), baileys.perSecond(),
        baileys.cpuPerThousand(), simCpuDuringBaileys * 1000.0 / baileys.count(), speed, cpu);
  }

  private interface Body {
    void run() throws Exception;
  }

  private static Run measure(Body body, int count) throws Exception {
    long cpu = processCpuNanos();
    long start = System.nanoTime();
    body.run();
    return new Run(count, (System.nanoTime() - start) / 1e9, (processCpuNanos() - cpu) / 1e9);
  }

  private static void sendWithClient(WaClient client, List<Jid> targets, int count, String tag)
      throws Exception {
    Semaphore window = new Semaphore(WINDOW);
    List<CompletableFuture<SendResult>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      window.acquire();
      CompletableFuture<SendResult> sent = client.sendText(targets.get(i % targets.size()),
          "bench " + i, MessageId.derivedFrom(tag + "-" + i));
      sent.whenComplete((r, e) -> window.release());
      all.add(sent);
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
  }

  private static JsonNode bench(Process node, BlockingQueue<JsonNode> events, List<String> targets,
      int count) throws Exception {
    String command = JSON.writeValueAsString(Map.of("cmd", "bench", "targets", targets,
        "count", count, "window", WINDOW)) + "\n";
    node.getOutputStream().write(command.getBytes(StandardCharsets.UTF_8));
    node.getOutputStream().flush();
    return awaitEvent(events, "bench-done");
  }

  static WaClient pairedClient(WaSimulator sim, SimulatorAdminClient admin, String phone)
      throws Exception {
    BlockingQueue<WaEvent> events = new LinkedBlockingQueue<>();
    WaClient client = WaClient.builder(InMemoryAuthState.create()).serverUri(sim.wsUri())
        .certificateVerifier(sim.trustedVerifier()).listener(events::add).build();
    client.connect();
    String qr = awaitClient(events, QrCodeUpdated.class).qr();
    admin.scan(phone, qr);
    awaitClient(events, PairSuccess.class);
    awaitClient(events, Disconnected.class);
    client.connect();
    awaitClient(events, Connected.class);
    return client;
  }

  private static <T extends WaEvent> T awaitClient(BlockingQueue<WaEvent> events, Class<T> type)
      throws InterruptedException {
    while (true) {
      WaEvent event = events.poll(60, TimeUnit.SECONDS);
      if (event == null) {
        throw new IllegalStateException("no " + type.getSimpleName());
      }
      if (type.isInstance(event)) {
        return type.cast(event);
      }
    }
  }

  static BlockingQueue<JsonNode> stdoutEvents(Process node) {
    BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("{")) {
            events.add(JSON.readTree(line));
          }
        }
      } catch (Exception e) {
        // the process ended; reported below
      }
      // End of output means the peer exited: fail the wait at once instead of after its timeout.
      events.add(JSON.createObjectNode().put("event", "crash").put("detail", "the Baileys peer exited"));
    }, "bench-baileys-stdout");
    reader.setDaemon(true);
    reader.start();
    return events;
  }

  static JsonNode awaitEvent(BlockingQueue<JsonNode> events, String name)
      throws InterruptedException {
    while (true) {
      JsonNode event = events.poll(10, TimeUnit.MINUTES);
      if (event == null || "crash".equals(event.path("event").asText())) {
        throw new IllegalStateException("Baileys: no '" + name + "' event: " + event);
      }
      if (name.equals(event.path("event").asText())) {
        return event;
      }
    }
  }

  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
