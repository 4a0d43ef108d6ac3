package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.ClientSupport.WAIT;
import static io.wafleet.simulator.client.MessagingPeer.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.ConnectionState;
import io.wafleet.client.PairingCode;
import io.wafleet.client.PairingCodeError;
import io.wafleet.client.PairingCodeException;
import io.wafleet.client.WaClient;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.crypto.LinkCodeCrypto;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.PairingCodeFailed;
import io.wafleet.client.event.QrCodeUpdated;
import io.wafleet.client.message.MessageContent;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.SimulatorConfig;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import io.wafleet.simulator.admin.SimulatorAdminException;
import io.wafleet.simulator.phone.LinkCodes;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pairing by code (docs/protocol.md §6.7) between wa-client and a simulated phone over real
 * sockets: the happy path through restart, login and a text; a wrong code (which WhatsApp never
 * reports to the companion), too many entries, too many codes for a number, an expired
 * registration and unknown phones, each with its typed error on both sides.
 */
class ClientPairingCodeIT {

  private static final String OWNER = "40713000001";
  private static final String FRIEND = "40713000002";

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private MessagingPeer peer;

  @BeforeEach
  void start() throws Exception {
    sim = ClientSupport.startSimulator();
    admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone(OWNER);
    admin.createPhone(FRIEND);
  }

  @AfterEach
  void stop() {
    if (peer != null) {
      peer.close();
    }
    sim.close();
  }

  @Test
  void code_enteredOnPhone_pairsRestartsLogsInAndExchangesText() throws Exception {
    peer = new MessagingPeer(InMemoryAuthState.create(), sim);
    PairingCode code = requestCode(peer, "+40 713 000 001");
    assertTrue(LinkCodeCrypto.isWellFormedCode(code.code()), "8 characters of the alphabet");
    assertEquals(Jid.of(OWNER, Jid.SERVER), code.phone());

    SimulatorAdminClient.LinkedDevice linked = admin.enterLinkCode(OWNER, code.code());
    PairSuccess paired = peer.events.await(PairSuccess.class, WAIT);
    assertEquals(linked.deviceJid(), paired.deviceJid().toString());
    Disconnected restart = peer.events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.RESTART_REQUIRED, restart.reason(), restart.toString());

    ClientSupport.connectUntilOpen(peer.client, peer.events, 1);
    assertEquals(paired.deviceJid(), peer.me());
    // The phone's welcome (docs/protocol.md §9.6): two peer messages, receipted, never surfaced.
    awaitUntil(() -> receiptsFrom(OWNER, paired.deviceJid().toString()) == 2, WAIT,
        () -> "receipts for the phone's key share and history notification");
    assertTrue(peer.stored().isEmpty(), "protocol messages are not messages: " + peer.stored());
    String fromFriend = admin.send(FRIEND, OWNER + "@s.whatsapp.net", "hi coded device");
    awaitUntil(() -> peer.stored().stream().anyMatch(m -> m.id().value().equals(fromFriend)
        && m.content().equals(new MessageContent.Text("hi coded device"))), WAIT,
        () -> "the friend's text; events " + peer.events.history());
    peer.client.sendText(Jid.of(FRIEND, Jid.SERVER), "hello from the coded device")
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    awaitUntil(() -> inboxTexts(FRIEND).contains("hello from the coded device"), WAIT,
        () -> "our text in the friend's inbox");
  }

  @Test
  void wrongCode_serverSaysNothing_wrongCodeEventOnTheNextEntry_thenTheRightCodeStillPairs()
      throws Exception {
    peer = new MessagingPeer(InMemoryAuthState.create(), sim);
    PairingCode code = requestCode(peer, OWNER);

    SimulatorAdminException wrong = assertThrows(SimulatorAdminException.class,
        () -> admin.enterLinkCode(OWNER, otherCode(code.code())));
    assertEquals(400, wrong.status());
    assertEquals("wrong-code", wrong.code());
    assertEquals("code", wrong.field());

    admin.enterLinkCode(OWNER, code.code());
    PairingCodeFailed failed = peer.events.await(PairingCodeFailed.class, WAIT);
    assertEquals(PairingCodeError.WRONG_CODE, failed.error(), failed.toString());
    peer.events.await(PairSuccess.class, WAIT);
    assertEquals(DisconnectReason.RESTART_REQUIRED,
        peer.events.await(Disconnected.class, WAIT).reason());
  }

  @Test
  void wrongCode_noPairSuccessWithinTheConfirmTimeout_wrongCodeEvent() throws Exception {
    peer = new MessagingPeer(InMemoryAuthState.create(), sim,
        builder -> builder.pairingCodeConfirmTimeout(Duration.ofSeconds(1)));
    PairingCode code = requestCode(peer, OWNER);

    assertEquals("wrong-code", assertThrows(SimulatorAdminException.class,
        () -> admin.enterLinkCode(OWNER, otherCode(code.code()))).code());
    PairingCodeFailed failed = peer.events.await(PairingCodeFailed.class, WAIT);
    assertEquals(PairingCodeError.WRONG_CODE, failed.error(), failed.toString());
    assertTrue(failed.detail().contains("no pair-success"), failed.detail());
    assertEquals(ConnectionState.PAIRING, peer.client.state(), "the registration goes on");
  }

  @Test
  void threeWrongEntries_thenThePhoneRefuses429_tooManyAttemptsEvent_andTheCodeIsGone()
      throws Exception {
    peer = new MessagingPeer(InMemoryAuthState.create(), sim,
        builder -> builder.pairingCodeConfirmTimeout(Duration.ofSeconds(1)));
    PairingCode code = requestCode(peer, OWNER);
    String wrong = otherCode(code.code());
    for (int i = 0; i < LinkCodes.MAX_ENTRIES; i++) {
      SimulatorAdminException e = assertThrows(SimulatorAdminException.class,
          () -> admin.enterLinkCode(OWNER, wrong));
      assertEquals(400, e.status());
      assertEquals(PairingCodeError.WRONG_CODE,
          peer.events.await(PairingCodeFailed.class, WAIT).error());
    }
    assertEquals(PairingCodeError.TOO_MANY_ATTEMPTS,
        peer.events.await(PairingCodeFailed.class, WAIT).error());
    SimulatorAdminException last = assertThrows(SimulatorAdminException.class,
        () -> admin.enterLinkCode(OWNER, code.code()));
    assertEquals(429, last.status());
    assertEquals("too-many-attempts", last.code());

    SimulatorAdminException after = assertThrows(SimulatorAdminException.class,
        () -> admin.enterLinkCode(OWNER, code.code()));
    assertEquals(410, after.status());
    assertEquals("expired-code", after.code());
  }

  @Test
  void tooManyCodesForOneNumber_429RateOverlimit_tooManyAttemptsException() throws Exception {
    peer = new MessagingPeer(InMemoryAuthState.create(), sim);
    requestCode(peer, OWNER);
    for (int i = 1; i < LinkCodes.MAX_REQUESTS; i++) {
      peer.client.requestPairingCode(OWNER).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> peer.client.requestPairingCode(OWNER).get(WAIT.toSeconds(), TimeUnit.SECONDS));
    PairingCodeException limited = assertInstanceOf(PairingCodeException.class,
        refused.getCause());
    assertEquals(PairingCodeError.TOO_MANY_ATTEMPTS, limited.error());
    assertTrue(limited.getMessage().contains("429"), limited.getMessage());
  }

  @Test
  void registrationRunsOut_expiredEventThenTimedOut_andThePhoneGets410() throws Exception {
    sim.close();
    sim = WaSimulator.start(SimulatorConfig.builder().postHandshakeDelay(Duration.ofMillis(20))
        .refCount(1).build());
    admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone(OWNER);
    peer = new MessagingPeer(InMemoryAuthState.create(), sim,
        builder -> builder.qrFirstTtl(Duration.ofSeconds(3)));
    peer.client.connect();
    peer.events.await(QrCodeUpdated.class, WAIT);
    try {
      peer.client.requestPairingCode(OWNER).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(PairingCodeError.EXPIRED,
          peer.events.await(PairingCodeFailed.class, WAIT).error());
    } catch (ExecutionException e) {
      // The refs ran out while the request was still in flight: the future says so instead.
      PairingCodeException failure = assertInstanceOf(PairingCodeException.class, e.getCause());
      assertEquals(PairingCodeError.EXPIRED, failure.error());
    }
    Disconnected end = peer.events.await(Disconnected.class, WAIT);
    assertEquals(DisconnectReason.TIMED_OUT, end.reason(), end.toString());

    SimulatorAdminException expired = assertThrows(SimulatorAdminException.class,
        () -> admin.enterLinkCode(OWNER, "ABCDEFGH"));
    assertEquals(410, expired.status());
    assertEquals("expired-code", expired.code());
  }

  @Test
  void unknownPhonesAndMalformedNumbers_typedErrors() throws Exception {
    SimulatorAdminException noCode = assertThrows(SimulatorAdminException.class,
        () -> admin.enterLinkCode(OWNER, "ABCDEFGH"));
    assertEquals(404, noCode.status());
    assertEquals("unknown-code", noCode.code());
    SimulatorAdminException noPhone = assertThrows(SimulatorAdminException.class,
        () -> admin.enterLinkCode("40713999999", "ABCDEFGH"));
    assertEquals(404, noPhone.status());
    assertEquals("unknown-phone", noPhone.code());

    peer = new MessagingPeer(InMemoryAuthState.create(), sim);
    peer.client.connect();
    peer.events.await(QrCodeUpdated.class, WAIT);
    PairingCodeException malformed = assertThrows(PairingCodeException.class,
        () -> peer.client.requestPairingCode("07 1300 0001"));
    assertEquals(PairingCodeError.INVALID_PHONE_NUMBER, malformed.error());
    assertEquals(PairingCodeError.INVALID_PHONE_NUMBER,
        assertThrows(PairingCodeException.class, () -> peer.client.requestPairingCode("4071x"))
            .error());
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> peer.client.requestPairingCode("40713999999").get(WAIT.toSeconds(), TimeUnit.SECONDS));
    PairingCodeException unknown = assertInstanceOf(PairingCodeException.class, refused.getCause());
    assertEquals(PairingCodeError.INVALID_PHONE_NUMBER, unknown.error());

    SimulatorAdminException badCode = assertThrows(SimulatorAdminException.class,
        () -> admin.enterLinkCode(OWNER, "NOT-A-CODE"));
    assertEquals(400, badCode.status());
    assertEquals("unknown-code", assertThrows(SimulatorAdminException.class,
        () -> admin.enterLinkCode(FRIEND, "ABCDEFGH")).code());
  }

  private PairingCode requestCode(MessagingPeer on, String number) throws Exception {
    on.client.connect();
    on.events.await(QrCodeUpdated.class, WAIT);
    return on.client.requestPairingCode(number).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** A well-formed code that differs from {@code code} in its last character. */
  private static String otherCode(String code) {
    char last = code.charAt(code.length() - 1);
    return code.substring(0, code.length() - 1) + (last == 'A' ? 'B' : 'A');
  }

  private long receiptsFrom(String phone, String device) {
    try {
      long count = 0;
      for (com.fasterxml.jackson.databind.JsonNode receipt : admin.receipts(phone)) {
        if (device.equals(receipt.path("from").asText())) {
          count++;
        }
      }
      return count;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private java.util.List<String> inboxTexts(String phone) {
    try {
      return admin.inboxTexts(phone);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
