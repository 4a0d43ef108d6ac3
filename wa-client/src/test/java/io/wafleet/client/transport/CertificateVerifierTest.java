package io.wafleet.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wafleet.client.crypto.Hex;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.proto.CertChain;
import io.wafleet.client.proto.CertChain.NoiseCertificate;
import io.wafleet.client.proto.CertChain.NoiseCertificate.Details;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class CertificateVerifierTest {

  private static final byte[] SERVER_KEY = TestKeys.SERVER_STATIC.publicKey();
  private static final CertificateVerifier BAILEYS = new BaileysCompatibleCertificateVerifier();
  private static final KeyPair ROOT = TestKeys.fromSeed("root");
  private static final KeyPair INTERMEDIATE = TestKeys.fromSeed("intermediate");
  private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant NOT_AFTER = Instant.parse("2027-01-01T00:00:00Z");
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void selfIssued_details_writeIssuerSerialZeroExplicitly() throws Exception {
    CertChain chain = CertChain.parseFrom(
        ServerCertificates.selfIssued(TestKeys.SERVER_STATIC).toByteArray());
    Details details = Details.parseFrom(chain.getIntermediate().getDetails());

    assertTrue(details.hasIssuerSerial());
    assertTrue(Hex.encode(chain.getIntermediate().getDetails().toByteArray()).startsWith("08011000"));
    assertArrayEquals(new byte[64], chain.getLeaf().getSignature().toByteArray());
    BAILEYS.verify(chain, SERVER_KEY);
  }

  @Test
  void baileysVerifier_issuerSerialUnset_rejects() throws Exception {
    Details unset = Details.newBuilder().setSerial(1).setKey(ByteString.copyFrom(SERVER_KEY)).build();
    CertChain chain = CertChain.parseFrom(chainWith(unset).toByteArray());

    assertFalse(Details.parseFrom(chain.getIntermediate().getDetails()).hasIssuerSerial());
    NoiseException e = assertThrows(NoiseException.class, () -> BAILEYS.verify(chain, SERVER_KEY));
    assertTrue(e.getMessage().contains("issuerSerial"), e.getMessage());
  }

  @Test
  void baileysVerifier_issuerSerialNonZero_rejects() {
    Details wrong = Details.newBuilder().setSerial(1).setIssuerSerial(7).build();

    assertThrows(NoiseException.class, () -> BAILEYS.verify(chainWith(wrong), SERVER_KEY));
  }

  @Test
  void baileysVerifier_missingIntermediateOrDetails_rejects() {
    CertChain noIntermediate = CertChain.newBuilder().setLeaf(NoiseCertificate.getDefaultInstance()).build();
    CertChain noDetails = CertChain.newBuilder()
        .setIntermediate(NoiseCertificate.newBuilder().setSignature(ByteString.copyFrom(new byte[64])))
        .build();
    CertChain garbage = CertChain.newBuilder()
        .setIntermediate(NoiseCertificate.newBuilder().setDetails(ByteString.copyFrom(new byte[] {7})))
        .build();

    assertThrows(NoiseException.class, () -> BAILEYS.verify(noIntermediate, SERVER_KEY));
    assertThrows(NoiseException.class, () -> BAILEYS.verify(noDetails, SERVER_KEY));
    assertThrows(NoiseException.class, () -> BAILEYS.verify(garbage, SERVER_KEY));
  }

  @Test
  void rootKeyVerifier_signedChain_accepts() throws Exception {
    rootVerifier().verify(signedChain(), SERVER_KEY);
  }

  @Test
  void rootKeyVerifier_selfIssuedChain_rejects() {
    CertChain chain = ServerCertificates.selfIssued(TestKeys.SERVER_STATIC);

    assertThrows(NoiseException.class, () -> rootVerifier().verify(chain, SERVER_KEY));
  }

  @Test
  void rootKeyVerifier_otherRootOrServerKeyOrExpired_rejects() {
    CertChain chain = signedChain();
    RootKeyCertificateVerifier otherRoot =
        new RootKeyCertificateVerifier(TestKeys.fromSeed("other root").publicKey(), NOW);
    RootKeyCertificateVerifier later = new RootKeyCertificateVerifier(ROOT.publicKey(),
        Clock.fixed(NOT_AFTER.plusSeconds(1), ZoneOffset.UTC));

    assertThrows(NoiseException.class, () -> otherRoot.verify(chain, SERVER_KEY));
    assertThrows(NoiseException.class,
        () -> rootVerifier().verify(chain, TestKeys.CLIENT_STATIC.publicKey()));
    assertThrows(NoiseException.class, () -> later.verify(chain, SERVER_KEY));
  }

  @Test
  void rootKeyVerifier_realWhatsAppRoot_rejectsSimulatorChain() {
    CertificateVerifier whatsApp = RootKeyCertificateVerifier.whatsApp(NOW);

    assertThrows(NoiseException.class, () -> whatsApp.verify(signedChain(), SERVER_KEY));
  }

  @Test
  void whatsAppRoot_isThePinnedKeyOfWhatsmeowAndBaileys() {
    // whatsmeow handshake.go WACertPubKey; Baileys Defaults WA_CERT_DETAILS.PUBLIC_KEY (rc10+).
    assertEquals("142375574d0a587166aae71ebe516437c4a28b73e3695c6ce1f7f9545da8ee6b",
        Hex.encode(RootKeyCertificateVerifier.whatsAppRootKey()));
    assertArrayEquals(RootKeyCertificateVerifier.whatsAppRootKey(),
        RootKeyCertificateVerifier.whatsApp().rootKey());
  }

  @Test
  void whatsAppRoot_acceptsAChainSignedByItsPrivateKeyOnly() {
    // No one outside WhatsApp holds that private key: a chain signed by any other root fails.
    CertChain chain = signedChain();
    NoiseException e = assertThrows(NoiseException.class,
        () -> RootKeyCertificateVerifier.whatsApp(NOW).verify(chain, SERVER_KEY));
    assertEquals("intermediate certificate signature is invalid", e.getMessage());
  }

  @Test
  void forRoot_trustsThatRootOnly() throws Exception {
    RootKeyCertificateVerifier trusting = RootKeyCertificateVerifier.forRoot(ROOT.publicKey());
    CertChain current = ServerCertificates.signed(ROOT, INTERMEDIATE, TestKeys.SERVER_STATIC,
        Instant.now().minusSeconds(3600), Instant.now().plusSeconds(3600));

    trusting.verify(current, SERVER_KEY);
    assertThrows(NoiseException.class, () -> RootKeyCertificateVerifier
        .forRoot(TestKeys.fromSeed("other root").publicKey()).verify(current, SERVER_KEY));
  }

  @Test
  void signedChain_passesBaileysRc9Rule_too() throws Exception {
    BAILEYS.verify(signedChain(), SERVER_KEY);
  }

  @Test
  void decodeRootKey_hexBase64AndPrefixed_giveTheSame32Bytes() {
    byte[] key = ROOT.publicKey();
    byte[] prefixed = new byte[33];
    prefixed[0] = 0x05;
    System.arraycopy(key, 0, prefixed, 1, 32);

    assertArrayEquals(key, RootKeyCertificateVerifier.decodeRootKey(Hex.encode(key)));
    assertArrayEquals(key,
        RootKeyCertificateVerifier.decodeRootKey(" " + Hex.encode(key).toUpperCase() + "\n"));
    assertArrayEquals(key,
        RootKeyCertificateVerifier.decodeRootKey(Base64.getEncoder().encodeToString(key)));
    assertArrayEquals(key,
        RootKeyCertificateVerifier.decodeRootKey(Base64.getEncoder().encodeToString(prefixed)));
  }

  @Test
  void decodeRootKey_badText_namesTheProblem() {
    assertEquals("root key is empty", assertThrows(IllegalArgumentException.class,
        () -> RootKeyCertificateVerifier.decodeRootKey(" ")).getMessage());
    assertEquals("root key has 16 bytes, expected 32 (or 33 with the 0x05 prefix)",
        assertThrows(IllegalArgumentException.class, () -> RootKeyCertificateVerifier
            .decodeRootKey(Base64.getEncoder().encodeToString(new byte[16]))).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> RootKeyCertificateVerifier.decodeRootKey("not a key!")).getMessage()
        .startsWith("root key is neither 64 hex digits nor base64"));
    assertThrows(NullPointerException.class,
        () -> RootKeyCertificateVerifier.forRoot(null));
  }

  @Test
  void handshake_withRootKeyVerifierAndSignedChain_completes() throws Exception {
    HandshakePair pair = new HandshakePair(rootVerifier(), signedChain());

    pair.complete(new byte[] {1});
  }

  private static RootKeyCertificateVerifier rootVerifier() {
    return new RootKeyCertificateVerifier(ROOT.publicKey(), NOW);
  }

  private static CertChain signedChain() {
    return ServerCertificates.signed(ROOT, INTERMEDIATE, TestKeys.SERVER_STATIC, NOT_BEFORE, NOT_AFTER);
  }

  private static CertChain chainWith(Details details) {
    NoiseCertificate certificate = NoiseCertificate.newBuilder()
        .setDetails(details.toByteString())
        .setSignature(ByteString.copyFrom(new byte[64]))
        .build();
    return CertChain.newBuilder().setIntermediate(certificate).setLeaf(certificate).build();
  }
}
