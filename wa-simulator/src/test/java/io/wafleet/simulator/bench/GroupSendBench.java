package io.wafleet.simulator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wafleet.client.WaClient;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.event.Connected;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.MessageReceived;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.client.event.ReceiptReceived;
import io.wafleet.client.event.ReceiptType;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.model.Jid;
import io.wafleet.client.model.MessageId;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./wafleet bench send group [members]}: one in-process simulator, a group of
 * {@code members} users (default 20): wa-client's phone, Baileys' phone and simulated phones, so
 * {@code members + 2} devices. First both clients warm up (JIT, the simulator's group path) with
 * {@value #WARM_UP} texts each in a second group of as many other phones. Then wa-client, then
 * Baileys, send to the bench group: one "first" message (metadata, usync, sessions with the
 * phones and the sender key to every other device) and {@value #NEXT} "next" messages (the key is
 * known: one skmsg each, median reported). The figure is the time from the send call until every
 * other device of the group sent its delivery receipt (each receipt is written after that device
 * decrypted the message). The last line is JSON.
 */
public final class GroupSendBench {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path NODE_DIR = Path.of("wa-simulator/src/test/node/baileys").toAbsolutePath();
  private static final String CLIENT_PHONE = "40792000001";
  private static final String BAILEYS_PHONE = "40792000002";
  private static final int WARM_UP = 3;
  private static final int NEXT = 5;

  private GroupSendBench() {
  }

  public static void main(String[] args) throws Exception {
    int members = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    if (members < 3) {
      throw new IllegalArgumentException("members must be at least 3");
    }
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(ch.qos.logback.classic.Level.WARN);
    int otherDevices = members + 2 - 1;
    try (WaSimulator sim = WaSimulator.start(SimulatorConfig.builder().build())) {
      SimulatorAdminClient admin = new SimulatorAdminClient(sim.adminUri());
      admin.createPhone(CLIENT_PHONE);
      admin.createPhone(BAILEYS_PHONE);
      List<String> others = new ArrayList<>();
      List<String> warmOthers = new ArrayList<>();
      others.add(BAILEYS_PHONE);
      warmOthers.add(BAILEYS_PHONE);
      for (int i = 0; i < members - 2; i++) {
        String number = String.format(Locale.ROOT, "407930%05d", i);
        admin.createPhone(number);
        others.add(number);
        String warm = String.format(Locale.ROOT, "407940%05d", i);
        admin.createPhone(warm);
        warmOthers.add(warm);
      }
      Receipts receipts = new Receipts();
      WaClient client = pairedClient(sim, admin, receipts);
      Path auth = Files.createTempDirectory("bench-baileys-group");
      Process node = new ProcessBuilder("node", "bench-peer.mjs", sim.wsUri().toString(),
          auth.toString()).directory(NODE_DIR.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try {
        BlockingQueue<JsonNode> events = SendBench.stdoutEvents(node);
        admin.scan(BAILEYS_PHONE, SendBench.awaitEvent(events, "qr").path("qr").asText());
        SendBench.awaitEvent(events, "open");
        Jid warmGroup = Jid.parse(admin.createGroup("Warm-up", CLIENT_PHONE, warmOthers));
        Jid group = Jid.parse(admin.createGroup("Bench group", CLIENT_PHONE, others));
        for (int i = 0; i < WARM_UP; i++) {
          clientSend(client, warmGroup, receipts, otherDevices, "warm-up-" + i);
          baileysSend(node, events, warmGroup, otherDevices, "warmup" + i);
        }

        double oursCold = clientSend(client, group, receipts, otherDevices, "first");
        double oursWarm = median(clientSends(client, group, receipts, otherDevices, "next-"));
        double baileysCold = baileysSend(node, events, group, otherDevices, "first");
        double baileysWarm = median(baileysSends(node, events, group, otherDevices, "next"));
        System.out.printf(Locale.ROOT, "group of %d members, %d devices: time until the %d other "
            + "devices have the message (their delivery receipts)%n", members, members + 2,
            otherDevices);
        System.out.printf(Locale.ROOT, "wa-client: first message %.1f ms, next messages (median of %d) %.1f ms%n",
            oursCold, NEXT, oursWarm);
        System.out.printf(Locale.ROOT, "Baileys:   first message %.1f ms, next messages (median of %d) %.1f ms%n",
            baileysCold, NEXT, baileysWarm);
        System.out.printf(Locale.ROOT, "ratio wa-client/Baileys: first %.2fx, next %.2fx%n",
            oursCold / baileysCold, oursWarm / baileysWarm);
        System.out.printf(Locale.ROOT, "{\"bench\":\"send-group\",\"members\":%d,\"devices\":%d,"
            + "\"waClient\":{\"firstMs\":%.1f,\"nextMs\":%.1f},\"baileys\":{\"firstMs\":%.1f,"
            + "\"nextMs\":%.1f},\"firstRatio\":%.3f,\"nextRatio\":%.3f}%n", members, members + 2,
            oursCold, oursWarm, baileysCold, baileysWarm, oursCold / baileysCold,
            oursWarm / baileysWarm);
      } finally {
        node.destroy();
        client.close();
      }
    }
    System.exit(0);
  }

  /** Delivery receipts per message id, by device; completes a waiter at the wanted count. */
  private static final class Receipts {
    private final Map<String, Set<Jid>> byId = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Long>> waiters = new ConcurrentHashMap<>();
    private final Map<String, Integer> wanted = new ConcurrentHashMap<>();

    CompletableFuture<Long> expect(String id, int devices) {
      wanted.put(id, devices);
      return waiters.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    void on(ReceiptReceived receipt) {
      if (receipt.type() == ReceiptType.RETRY) {
        return;
      }
      String id = receipt.id().value();
      Set<Jid> devices = byId.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet());
      devices.add(receipt.from());
      Integer want = wanted.get(id);
      if (want != null && devices.size() >= want) {
        waiters.get(id).complete(System.nanoTime());
      }
    }
  }

  private interface Timed {
    double run(int i) throws Exception;
  }

  /** Runs {@code NEXT} timed sends (tag + i) one after the other; their median in ms. */
  private static double median(Timed timed) throws Exception {
    double[] ms = new double[NEXT];
    for (int i = 0; i < NEXT; i++) {
      ms[i] = timed.run(i);
    }
    java.util.Arrays.sort(ms);
    return ms[NEXT / 2];
  }

  private static Timed clientSends(WaClient client, Jid group, Receipts receipts, int devices,
      String tagPrefix) {
    return i -> clientSend(client, group, receipts, devices, tagPrefix + i);
  }

  private static Timed baileysSends(Process node, BlockingQueue<JsonNode> events, Jid group,
      int devices, String tagPrefix) {
    return i -> baileysSend(node, events, group, devices, tagPrefix + i);
  }

  private static double clientSend(WaClient client, Jid group, Receipts receipts, int devices,
      String tag) throws Exception {
    MessageId id = MessageId.derivedFrom("group-bench-" + tag);
    CompletableFuture<Long> all = receipts.expect(id.value(), devices);
    long start = System.nanoTime();
    client.sendText(group, "group bench " + tag, id).get(2, TimeUnit.MINUTES);
    return (all.get(2, TimeUnit.MINUTES) - start) / 1e6;
  }

  private static double baileysSend(Process node, BlockingQueue<JsonNode> events, Jid group,
      int devices, String tag) throws Exception {
    String command = JSON.writeValueAsString(Map.of("cmd", "group", "group", group.toString(),
        "devices", devices, "tag", tag)) + "\n";
    node.getOutputStream().write(command.getBytes(StandardCharsets.UTF_8));
    node.getOutputStream().flush();
    return SendBench.awaitEvent(events, "group-done").path("ms").asDouble();
  }

  /** A paired, connected client that acknowledges what it receives and counts receipts. */
  private static WaClient pairedClient(WaSimulator sim, SimulatorAdminClient admin,
      Receipts receipts) throws Exception {
    BlockingQueue<WaEvent> events = new LinkedBlockingQueue<>();
    WaClient[] holder = new WaClient[1];
    WaClient client = WaClient.builder(InMemoryAuthState.create()).serverUri(sim.wsUri())
        .certificateVerifier(sim.trustedVerifier()).listener(event -> {
          if (event instanceof ReceiptReceived r) {
            receipts.on(r);
          } else if (event instanceof MessageReceived m) {
            holder[0].acknowledge(m.message());
          } else {
            events.add(event);
          }
        }).build();
    holder[0] = client;
    client.connect();
    String qr = await(events, QrCodeUpdated.class).qr();
    admin.scan(CLIENT_PHONE, qr);
    await(events, PairSuccess.class);
    await(events, Disconnected.class);
    client.connect();
    await(events, Connected.class);
    return client;
  }

  private static <T extends WaEvent> T await(BlockingQueue<WaEvent> events, Class<T> type)
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
}
