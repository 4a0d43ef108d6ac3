package io.wafleet.simulator.phone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hkdf;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.proto.ADVSignedDeviceIdentity;
import io.wafleet.client.proto.ADVSignedDeviceIdentityHMAC;
import io.wafleet.simulator.phone.PhoneBookException.Reason;
import io.wafleet.simulator.phone.PreKeys.PublicSignedPreKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Phone book rules (§3.3, §6.3, §6.4, §6.5) without sockets. */
class PhoneBookTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A companion that records the pair-success it was asked to send. */
  private static final class RecordingCompanion implements Companion {
    final KeyPair noise = Curve25519.generateKeyPair();
    final KeyPair identity = Curve25519.generateKeyPair();
    final byte[] advSecret = new byte[32];
    PendingLink sent;

    @Override
    public Registration registration() {
      KeyPair signed = Curve25519.generateKeyPair();
      byte[] signature = Curve25519.sign(identity.privateKey(),
          Curve25519.withTypePrefix(signed.publicKey()));
      return new Registration(7, identity.publicKey(),
          new PublicSignedPreKey(1, signed.publicKey(), signature), noise.publicKey());
    }

    @Override
    public void sendPairSuccess(PendingLink link) {
      sent = link;
    }

    /** This companion pairs by QR only: a phone entering a code finds it gone. */
    @Override
    public java.util.concurrent.CompletableFuture<LinkCodeFinish> sendLinkCodeNotification(
        String ref, byte[] primaryIdentity, byte[] wrappedPrimaryEphemeral) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          new IllegalStateException("registration closed"));
    }

    @Override
    public void answerLinkCodeFinish(LinkCodeFinish finish, int errorCode, String errorText) {
      throw new AssertionError("no companion_finish was received");
    }

    String qr(String ref) {
      Base64.Encoder b64 = Base64.getEncoder();
      return ref + "," + b64.encodeToString(noise.publicKey()) + ","
          + b64.encodeToString(identity.publicKey()) + "," + b64.encodeToString(advSecret);
    }
  }

  @Test
  void scan_buildsVerifiableAdvIdentity_andLoginNeedsConfirmationAndNoiseKey() throws Exception {
    PhoneBook book = new PhoneBook(Clock.fixed(T0, ZoneOffset.UTC));
    Phone phone = book.create("40700000001");
    RecordingCompanion companion = new RecordingCompanion();
    List<String> refs = book.issueRefs(companion, 2, Duration.ofSeconds(60), Duration.ofSeconds(20));
    LinkedDevice device = book.scan("40700000001", companion.qr(refs.get(0)));
    assertEquals("40700000001:1@s.whatsapp.net", device.jid().toString());
    assertNotNull(companion.sent);

    ADVSignedDeviceIdentityHMAC wrapper = ADVSignedDeviceIdentityHMAC.parseFrom(companion.sent.wrapper());
    assertArrayEquals(Hkdf.hmacSha256(companion.advSecret, wrapper.getDetails().toByteArray()),
        wrapper.getHmac().toByteArray());
    ADVSignedDeviceIdentity signed = ADVSignedDeviceIdentity.parseFrom(wrapper.getDetails());
    byte[] details = signed.getDetails().toByteArray();
    assertTrue(Curve25519.verify(phone.accountKey().publicKey(),
        AdvPairing.concat(new byte[] {6, 0}, details, companion.identity.publicKey()),
        signed.getAccountSignature().toByteArray()));

    long user = 40700000001L;
    assertTrue(book.authenticate(user, 1, companion.noise.publicKey()).isEmpty(), "unconfirmed");
    byte[] deviceSignature = Curve25519.sign(companion.identity.privateKey(), AdvPairing.concat(
        new byte[] {6, 1}, details, companion.identity.publicKey(), phone.accountKey().publicKey()));
    byte[] reply = signed.toBuilder().clearAccountSignatureKey()
        .setDeviceSignature(ByteString.copyFrom(deviceSignature)).build().toByteArray();
    assertTrue(AdvPairing.verifyDeviceSignature(companion.sent, reply));
    assertFalse(AdvPairing.verifyDeviceSignature(companion.sent, signed.toByteArray()));
    book.confirm(companion.sent);
    assertTrue(book.authenticate(user, 1, companion.noise.publicKey()).isPresent());
    assertTrue(book.authenticate(user, 1, Curve25519.generateKeyPair().publicKey()).isEmpty());
    assertTrue(book.authenticate(user, 2, companion.noise.publicKey()).isEmpty());
    assertEquals(Reason.EXPIRED_REF, assertThrows(PhoneBookException.class,
        () -> book.scan("40700000001", companion.qr(refs.get(0)))).reason(), "a used ref is expired");
    assertEquals(Reason.EXPIRED_REF, assertThrows(PhoneBookException.class,
        () -> book.scan("40700000001", companion.qr(refs.get(1)))).reason(),
        "the other refs of a scanned registration are revoked, so expired");
  }

  @Test
  void refs_expireOnTheClientsSchedule() {
    Instant[] now = {T0};
    Clock clock = new Clock() {
      @Override public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override public Instant instant() {
        return now[0];
      }
    };
    PhoneBook book = new PhoneBook(clock);
    book.create("40700000001");
    RecordingCompanion companion = new RecordingCompanion();
    List<String> refs = book.issueRefs(companion, 3, Duration.ofSeconds(60), Duration.ofSeconds(20));
    now[0] = T0.plusSeconds(80);
    assertEquals(Reason.EXPIRED_REF, assertThrows(PhoneBookException.class,
        () -> book.scan("40700000001", companion.qr(refs.get(1)))).reason());
    assertEquals("40700000001:1@s.whatsapp.net",
        book.scan("40700000001", companion.qr(refs.get(2))).jid().toString());
  }

  @Test
  void scan_refOfAClosedRegistration_isExpired_neverIssuedRef_isUnknown() {
    PhoneBook book = new PhoneBook(Clock.systemUTC());
    book.create("40700000001");
    RecordingCompanion companion = new RecordingCompanion();
    List<String> refs = book.issueRefs(companion, 3, Duration.ofSeconds(60), Duration.ofSeconds(20));
    book.revokeRefs(companion);
    for (String ref : refs) {
      assertEquals(Reason.EXPIRED_REF, assertThrows(PhoneBookException.class,
          () -> book.scan("40700000001", companion.qr(ref))).reason(), "issued, then revoked");
    }
    assertEquals(Reason.UNKNOWN_REF, assertThrows(PhoneBookException.class,
        () -> book.scan("40700000001", companion.qr("2@neverIssuedByThisBook"))).reason());
    assertNull(companion.sent, "no pair-success for a dead ref");
  }

  @Test
  void create_validatesAndRefusesDuplicates() {
    PhoneBook book = new PhoneBook(Clock.systemUTC());
    Phone phone = book.create("40700000001");
    assertTrue(phone.lid().user().matches("[1-9][0-9]{14}"));
    assertEquals(32, phone.primaryKeys().preKeys().size());
    assertTrue(phone.primaryKeys().signedPreKey().toPublic().verifiedBy(
        phone.primaryKeys().identity().publicKey()));
    assertEquals(Reason.DUPLICATE_PHONE,
        assertThrows(PhoneBookException.class, () -> book.create("40700000001")).reason());
    assertEquals(Reason.BAD_PHONE,
        assertThrows(PhoneBookException.class, () -> book.create("0123")).reason());
  }

  @Test
  void find_byPnOrLid_returnsSamePhone() {
    PhoneBook book = new PhoneBook(Clock.systemUTC());
    Phone phone = book.create("40700000001");
    assertTrue(book.find(phone.jid()).isPresent());
    assertEquals(phone, book.find(phone.lid()).orElseThrow());
    assertEquals(phone, book.find(io.wafleet.client.model.Jid.parse(phone.lid().user() + ":3@lid")).orElseThrow());
    assertFalse(book.find(io.wafleet.client.model.Jid.parse("40799999999@s.whatsapp.net")).isPresent());
    assertFalse(book.find(io.wafleet.client.model.Jid.parse("1203630000@g.us")).isPresent());
  }

  @Test
  void takePreKey_devicePhone_handsEachKeyOutOnceThenNone() {
    Phone phone = new PhoneBook(Clock.systemUTC()).create("40700000001");
    java.util.Set<Integer> ids = new java.util.HashSet<>();
    for (int i = 0; i < 32; i++) {
      Phone.TakenPreKey taken = phone.takePreKey(0).orElseThrow();
      assertTrue(ids.add(taken.key().id()), "handed out twice: " + taken.key().id());
      assertEquals(31 - i, taken.remaining());
    }
    assertFalse(phone.takePreKey(0).isPresent());
    assertEquals(0, phone.preKeysLeft(0));
    assertEquals(List.of(0), phone.activeDeviceIds());
    assertFalse(phone.isActive(1));
  }
}
