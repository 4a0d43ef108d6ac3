package io.wafleet.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hkdf;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.model.Jid;
import io.wafleet.client.proto.ADVDeviceIdentity;
import io.wafleet.client.proto.ADVEncryptionType;
import io.wafleet.client.proto.ADVSignedDeviceIdentity;
import io.wafleet.client.proto.ADVSignedDeviceIdentityHMAC;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** pair-success checks (§6.4, §6.5) against ADV messages built here the way a phone builds them. */
class PairingVerifierTest {

  private static final byte[] ACCOUNT_PREFIX = {6, 0};
  private static final byte[] HOSTED_PREFIX = {6, 5};

  private final Credentials creds = Credentials.generate(new SecureRandom());
  private final KeyPair account = Curve25519.generateKeyPair();

  @Test
  void verify_validPairSuccess_signsAndReplies() throws Exception {
    byte[] details = details(ADVEncryptionType.E2EE);
    Node success = pairSuccess(wrapper(signedIdentity(details, ACCOUNT_PREFIX, account), creds.advSecretKey(),
        ADVEncryptionType.E2EE));

    PairingVerifier.Verified verified = PairingVerifier.verify(success, creds);

    assertEquals(Jid.parse("40700000001:1@s.whatsapp.net"), verified.deviceJid());
    assertEquals(Jid.parse("100000000000001:1@lid"), verified.lid());
    assertEquals("android", verified.platform());
    assertEquals("Shop", verified.businessName());
    assertEquals(3, verified.keyIndex());
    ADVSignedDeviceIdentity stored = ADVSignedDeviceIdentity.parseFrom(verified.account());
    assertArrayEquals(account.publicKey(), stored.getAccountSignatureKey().toByteArray());
    byte[] signed = PairingVerifier.concat(new byte[] {6, 1}, details,
        creds.signedIdentityKey().publicKey(), account.publicKey());
    assertTrue(Curve25519.verify(creds.signedIdentityKey().publicKey(), signed,
        stored.getDeviceSignature().toByteArray()));
    ADVSignedDeviceIdentity reply = ADVSignedDeviceIdentity.parseFrom(verified.replyIdentity());
    assertFalse(reply.hasAccountSignatureKey(), "reply omits the account key (§6.5)");
    assertEquals(stored.getDeviceSignature(), reply.getDeviceSignature());

    Node iq = Node.of("iq", Node.attrsOf("id", "Y", "type", "set"), List.of(success));
    Node answer = PairingVerifier.reply(iq, verified);
    assertEquals("Y", answer.attr("id"));
    assertEquals("result", answer.attr("type"));
    assertEquals("3", answer.child("pair-device-sign").child("device-identity").attr("key-index"));
  }

  @Test
  void verify_hostedDevice_usesHostedPrefixes() throws Exception {
    byte[] details = details(ADVEncryptionType.HOSTED);
    Node success = pairSuccess(wrapper(signedIdentity(details, HOSTED_PREFIX, account),
        creds.advSecretKey(), ADVEncryptionType.HOSTED));
    assertEquals(3, PairingVerifier.verify(success, creds).keyIndex());
  }

  @Test
  void verify_hmacWithOtherSecret_rejected() {
    byte[] otherSecret = new byte[32];
    Node success = pairSuccess(wrapper(signedIdentity(details(ADVEncryptionType.E2EE), ACCOUNT_PREFIX,
        account), otherSecret, ADVEncryptionType.E2EE));
    PairingException e = assertThrows(PairingException.class, () -> PairingVerifier.verify(success, creds));
    assertEquals("adv hmac mismatch", e.getMessage());
  }

  @Test
  void verify_accountSignatureByOtherKey_rejected() {
    ADVSignedDeviceIdentity forged = signedIdentity(details(ADVEncryptionType.E2EE), ACCOUNT_PREFIX,
        Curve25519.generateKeyPair()).toBuilder()
        .setAccountSignatureKey(ByteString.copyFrom(account.publicKey())).build();
    Node success = pairSuccess(wrapper(forged, creds.advSecretKey(), ADVEncryptionType.E2EE));
    PairingException e = assertThrows(PairingException.class, () -> PairingVerifier.verify(success, creds));
    assertEquals("account signature invalid", e.getMessage());
  }

  @Test
  void verify_signatureOverAnotherIdentity_rejected() {
    Credentials other = Credentials.generate(new SecureRandom());
    byte[] details = details(ADVEncryptionType.E2EE);
    byte[] sig = Curve25519.sign(account.privateKey(),
        PairingVerifier.concat(ACCOUNT_PREFIX, details, other.signedIdentityKey().publicKey()));
    ADVSignedDeviceIdentity identity = ADVSignedDeviceIdentity.newBuilder()
        .setDetails(ByteString.copyFrom(details))
        .setAccountSignatureKey(ByteString.copyFrom(account.publicKey()))
        .setAccountSignature(ByteString.copyFrom(sig)).build();
    Node success = pairSuccess(wrapper(identity, creds.advSecretKey(), ADVEncryptionType.E2EE));
    assertThrows(PairingException.class, () -> PairingVerifier.verify(success, creds));
  }

  @Test
  void verify_missingDevice_rejected() {
    Node success = Node.of("pair-success", Node.attrsOf(), List.of(
        Node.of("device-identity", Node.attrsOf(), new byte[] {1})));
    assertThrows(PairingException.class, () -> PairingVerifier.verify(success, creds));
  }

  private static byte[] details(ADVEncryptionType deviceType) {
    return ADVDeviceIdentity.newBuilder().setRawId(1).setTimestamp(1_700_000_000L).setKeyIndex(3)
        .setAccountType(ADVEncryptionType.E2EE).setDeviceType(deviceType).build().toByteArray();
  }

  private ADVSignedDeviceIdentity signedIdentity(byte[] details, byte[] prefix, KeyPair signer) {
    byte[] signature = Curve25519.sign(signer.privateKey(),
        PairingVerifier.concat(prefix, details, creds.signedIdentityKey().publicKey()));
    return ADVSignedDeviceIdentity.newBuilder()
        .setDetails(ByteString.copyFrom(details))
        .setAccountSignatureKey(ByteString.copyFrom(signer.publicKey()))
        .setAccountSignature(ByteString.copyFrom(signature))
        .build();
  }

  private static byte[] wrapper(ADVSignedDeviceIdentity identity, byte[] secret,
      ADVEncryptionType accountType) {
    byte[] a = identity.toByteArray();
    byte[] prefix = accountType == ADVEncryptionType.HOSTED ? HOSTED_PREFIX : new byte[0];
    return ADVSignedDeviceIdentityHMAC.newBuilder()
        .setDetails(ByteString.copyFrom(a))
        .setHmac(ByteString.copyFrom(Hkdf.hmacSha256(secret, prefix, a)))
        .setAccountType(accountType)
        .build().toByteArray();
  }

  private static Node pairSuccess(byte[] wrapper) {
    return Node.of("pair-success", Node.attrsOf(), List.of(
        Node.of("device-identity", Node.attrsOf(), wrapper),
        Node.of("platform", Node.attrsOf("name", "android")),
        Node.of("device", Node.attrsOf("jid", "40700000001:1@s.whatsapp.net",
            "lid", "100000000000001:1@lid")),
        Node.of("biz", Node.attrsOf("name", "Shop"))));
  }
}
