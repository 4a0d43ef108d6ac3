package io.wafleet.demo;

import io.wafleet.client.WaClient;
import io.wafleet.client.auth.DirectoryAuthState;
import io.wafleet.client.event.Connected;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.LoggedOut;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.model.Jid;
import io.wafleet.client.transport.CertificateVerifier;
import io.wafleet.client.transport.RootKeyCertificateVerifier;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./wafleet demo}: shows on one machine what wafleet is for. A simulated phone scans our
 * client's QR, the client pairs and logs in, then "restarts" from the session it stored on disk and
 * logs in again with no QR. Prints a narrative for a person, not logs.
 *
 * <p>Usage: {@code DemoMain --ws ws://127.0.0.1:8090/ws/chat --admin http://127.0.0.1:8091/ --state DIR}
 *
 * <p>The client trusts only the simulator's root key: {@code WAFLEET_WA_ROOT_KEY} (hex or base64)
 * when set, else the key the simulator's admin API serves at {@code GET /root-key}.
 */
public final class DemoMain {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PHONE = "40700000001";
  static final String ROOT_KEY_ENV = "WAFLEET_WA_ROOT_KEY";

  private final URI ws;
  private final SimulatorAdminClient admin;
  private final Path stateDir;
  private final CertificateVerifier verifier;

  private DemoMain(URI ws, SimulatorAdminClient admin, Path stateDir, CertificateVerifier verifier) {
    this.ws = ws;
    this.admin = admin;
    this.stateDir = stateDir;
    this.verifier = verifier;
  }

  public static void main(String[] args) throws Exception {
    DemoArgs parsed = DemoArgs.parse(args);
    SimulatorAdminClient admin = new SimulatorAdminClient(parsed.admin());
    byte[] root = rootKey(System.getenv(ROOT_KEY_ENV), admin);
    new DemoMain(parsed.ws(), admin, parsed.stateDir(), RootKeyCertificateVerifier.forRoot(root))
        .run();
  }

  /**
   * The simulator root to trust: {@code configured} (the env var's value) when set, else the
   * admin API's.
   *
   * @throws IllegalArgumentException naming the env var when its value is not a key
   */
  static byte[] rootKey(String configured, SimulatorAdminClient admin) throws Exception {
    if (configured != null && !configured.isBlank()) {
      try {
        return RootKeyCertificateVerifier.decodeRootKey(configured);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ROOT_KEY_ENV + ": " + e.getMessage(), e);
      }
    }
    step("trusting the simulator's root key from its admin API (set " + ROOT_KEY_ENV
        + " to pin it)");
    return admin.rootKey();
  }

  private void run() throws Exception {
    step("creating simulated phone +" + mask(PHONE) + " (the business's WhatsApp phone; numbers are masked"
        + " in this output)");
    admin.ensurePhone(PHONE);
    DirectoryAuthState state = DirectoryAuthState.open(stateDir);
    Jid me = state.credentials().isPaired() ? login(state, "logging in with the session stored in " + stateDir)
        : pair(state);
    step("connected as " + device(me));
    step("restarting: a new client reads the stored session back from disk (the connector reads it from"
        + " Firestore), so it can log in without a new QR scan");
    long started = System.nanoTime();
    BlockingQueue<WaEvent> events = new LinkedBlockingQueue<>();
    WaClient client = client(DirectoryAuthState.open(stateDir), events);
    try {
      client.connect();
      Jid again = await(events, Connected.class).me();
      step("connected again as " + device(again) + " in " + (System.nanoTime() - started) / 1_000_000
          + " ms, with no QR scan");
      new DemoConversation(admin, client, events).run();
    } finally {
      client.close();
    }
    step("done. The session is in " + stateDir + " (the simulator forgets it when it stops).");
  }

  private Jid pair(DirectoryAuthState state) throws Exception {
    BlockingQueue<WaEvent> events = new LinkedBlockingQueue<>();
    WaClient client = client(state, events);
    try {
      client.connect();
      QrCodeUpdated qr = await(events, QrCodeUpdated.class);
      step("our client shows a QR code (valid until " + qr.expiresAt() + "); the simulated phone scans it,"
          + " as a person does in WhatsApp under Settings > Linked devices");
      admin.scan(PHONE, qr.qr());
      PairSuccess paired = await(events, PairSuccess.class);
      step("paired: our client is now " + device(paired.deviceJid()));
      Disconnected restart = await(events, Disconnected.class);
      if (restart.reason() != DisconnectReason.RESTART_REQUIRED) {
        throw new IllegalStateException("expected a restart after pairing, got " + restart);
      }
      step("the server closed the connection and asked us to reconnect (\"restart required\", WhatsApp's"
          + " code 515): WhatsApp always does this right after pairing");
    } finally {
      client.close();
    }
    return login(state, "logging in with the new credentials");
  }

  private Jid login(DirectoryAuthState state, String what) throws Exception {
    step(what);
    BlockingQueue<WaEvent> events = new LinkedBlockingQueue<>();
    WaClient client = client(state, events);
    try {
      client.connect();
      return await(events, Connected.class).me();
    } finally {
      client.close();
    }
  }

  private WaClient client(DirectoryAuthState state, BlockingQueue<WaEvent> events) {
    return WaClient.builder(state).serverUri(ws).certificateVerifier(verifier)
        .listener(events::add).connectTimeout(WAIT).build();
  }

  static <T extends WaEvent> T await(BlockingQueue<WaEvent> events, Class<T> type) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      WaEvent event = events.poll(100, TimeUnit.MILLISECONDS);
      if (type.isInstance(event)) {
        return type.cast(event);
      }
      if (event instanceof LoggedOut || (event instanceof Disconnected d && type != Disconnected.class
          && d.reason() != DisconnectReason.RESTART_REQUIRED)) {
        throw new IllegalStateException("connection ended: " + event);
      }
    }
    throw new IllegalStateException("no " + type.getSimpleName() + " within " + WAIT.toSeconds() + " s");
  }

  /**
   * A device address in words, e.g. "linked device 1 of phone +*******0001
   * (address *******0001:1@s.whatsapp.net)": WhatsApp addresses each device of an account as
   * {@code <phone number>:<device number>@s.whatsapp.net}; the phone itself is device 0.
   */
  static String device(Jid jid) {
    String phone = "+" + mask(jid.user());
    int number = jid.device().orElse(0);
    String what = number == 0 ? "the phone " + phone + " itself" : "linked device " + number + " of phone " + phone;
    return what + " (WhatsApp address " + jid.masked() + ")";
  }

  static String mask(String digits) {
    return "*".repeat(Math.max(0, digits.length() - 4)) + digits.substring(Math.max(0, digits.length() - 4));
  }

  static void step(String text) {
    System.out.println("[demo] " + text);
  }
}
