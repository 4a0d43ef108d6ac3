package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.LinkCodeCrypto;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's side of pairing by code (§6.7) against a raw companion: malformed or misplaced
 * link_code_companion_reg iqs get iq errors and the registration goes on; a malformed
 * companion_finish gives the phone 409; a code past its registration's time gives 410.
 */
class LinkCodeBadInputIT {

  private static final String PHONE = "40715000001";

  private final MutableClock clock = new MutableClock();
  private WaSimulator sim;
  private SimulatorAdminClient admin;

  @BeforeEach
  void start() throws Exception {
    sim = WaSimulator.start(SimulatorFixture.fastConfig().toBuilder().clock(clock).build());
    admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone(PHONE);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void malformedHelloAndFinish_iqErrors_registrationGoesOn_badFinish409_lateCode410()
      throws Exception {
    TestCreds creds = new TestCreds();
    try (TestWaClient client = TestWaClient.connect(sim.wsUri(), creds, creds.registrationPayload())) {
      TestPairing.refs(client.next());
      String code = "ABCDEFGH";
      byte[] wrapped = LinkCodeCrypto.wrapKey(code, Curve25519.generateKeyPair().publicKey(),
          new SecureRandom());

      assertIqError(client.query("md", "set", hello(PHONE, java.util.Arrays.copyOf(wrapped, 79),
          creds.noiseKey.publicKey())), "400");
      assertIqError(client.query("md", "set", hello(PHONE, wrapped,
          Curve25519.generateKeyPair().publicKey())), "400");
      assertIqError(client.query("md", "set", hello("40715999999", wrapped,
          creds.noiseKey.publicKey())), "400");
      assertIqError(client.query("md", "set", finish(new byte[156], creds.identity.publicKey(),
          "2@nothing")), "400");
      assertEquals("result", client.ping().attr("type"), "the registration goes on");

      Node accepted = client.query("md", "set", hello(PHONE, wrapped, creds.noiseKey.publicKey()));
      assertEquals("result", accepted.attr("type"));
      Node refNode = accepted.child("link_code_companion_reg").child("link_code_pairing_ref");
      assertNotNull(refNode);
      String ref = new String(refNode.bytes(), StandardCharsets.UTF_8);

      CompletableFuture<SimulatorAdminClient.Reply> entry = CompletableFuture.supplyAsync(() -> {
        try {
          return admin.post("phones/" + PHONE + "/link-code", Map.of("code", code));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Node notification = client.await(n -> "notification".equals(n.tag()));
      assertEquals("link_code_companion_reg", notification.attr("type"));
      Node reg = notification.child("link_code_companion_reg");
      assertEquals(ref, new String(reg.child("link_code_pairing_ref").bytes(), StandardCharsets.UTF_8));
      assertEquals(80, reg.child("link_code_pairing_wrapped_primary_ephemeral_pub").bytes().length);
      assertEquals(32, reg.child("primary_identity_pub").bytes().length);

      assertIqError(client.query("md", "set", finish(new byte[10], creds.identity.publicKey(), ref)),
          "400");
      SimulatorAdminClient.Reply conflict = entry.get(30, TimeUnit.SECONDS);
      assertEquals(409, conflict.status(), String.valueOf(conflict.body()));
      assertEquals("code-conflict", conflict.body().path("code").asText());
      assertEquals("code", conflict.body().path("field").asText());

      clock.advance(Duration.ofDays(1));
      SimulatorAdminClient.Reply late = admin.post("phones/" + PHONE + "/link-code",
          Map.of("code", code));
      assertEquals(410, late.status(), String.valueOf(late.body()));
      assertEquals("expired-code", late.body().path("code").asText());
      assertEquals("result", client.ping().attr("type"), "still alive after all of it");
    }
  }

  private static void assertIqError(Node reply, String code) {
    assertEquals("error", reply.attr("type"), reply.toString());
    assertEquals(code, reply.child("error").attr("code"), reply.toString());
  }

  private static Node hello(String phone, byte[] wrapped, byte[] noiseKey) {
    return Node.of("link_code_companion_reg", Node.attrsOf("jid", phone + "@s.whatsapp.net",
        "stage", "companion_hello", "should_show_push_notification", "true"), List.of(
            Node.of("link_code_pairing_wrapped_companion_ephemeral_pub", Map.of(), wrapped),
            Node.of("companion_server_auth_key_pub", Map.of(), noiseKey),
            Node.of("companion_platform_id", Map.of(), "1".getBytes(StandardCharsets.UTF_8)),
            Node.of("companion_platform_display", Map.of(),
                "Chrome (Mac OS)".getBytes(StandardCharsets.UTF_8)),
            Node.of("link_code_pairing_nonce", Map.of(), "0".getBytes(StandardCharsets.UTF_8))));
  }

  private static Node finish(byte[] bundle, byte[] identity, String ref) {
    return Node.of("link_code_companion_reg", Node.attrsOf("jid", PHONE + "@s.whatsapp.net",
        "stage", "companion_finish"), List.of(
            Node.of("link_code_pairing_wrapped_key_bundle", Map.of(), bundle),
            Node.of("companion_identity_public", Map.of(), identity),
            Node.of("link_code_pairing_ref", Map.of(), ref.getBytes(StandardCharsets.UTF_8))));
  }
}
