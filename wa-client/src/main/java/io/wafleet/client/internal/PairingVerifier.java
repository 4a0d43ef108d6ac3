package io.wafleet.client.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hkdf;
import io.wafleet.client.model.Jid;
import io.wafleet.client.proto.ADVDeviceIdentity;
import io.wafleet.client.proto.ADVEncryptionType;
import io.wafleet.client.proto.ADVSignedDeviceIdentity;
import io.wafleet.client.proto.ADVSignedDeviceIdentityHMAC;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;

/**
 * Checks a {@code pair-success} and computes our answer (§6.4, §6.5): the ADV HMAC keyed by the
 * adv secret, the account signature over {@code 06 00 ‖ details ‖ our identity}, then our device
 * signature over {@code 06 01 ‖ details ‖ our identity ‖ account key}. Stateless.
 */
final class PairingVerifier {

  /** What a verified pair-success yields. */
  record Verified(Jid deviceJid, Jid lid, String platform, String businessName,
      byte[] account, byte[] replyIdentity, int keyIndex) {
  }

  private PairingVerifier() {
  }

  static Verified verify(Node pairSuccess, Credentials credentials) throws PairingException {
    Node deviceIdentity = pairSuccess.child("device-identity");
    Node device = pairSuccess.child("device");
    if (deviceIdentity == null || deviceIdentity.bytes() == null || device == null) {
      throw new PairingException("pair-success lacks device-identity or device");
    }
    Jid deviceJid = parseJid(device.attr("jid"), "device jid");
    Jid lid = device.attr("lid") == null ? null : parseJid(device.attr("lid"), "device lid");
    ADVSignedDeviceIdentity account = checkHmac(deviceIdentity.bytes(), credentials);
    ADVDeviceIdentity details = parseDetails(account);
    byte[] identityPublic = credentials.signedIdentityKey().publicKey();
    checkAccountSignature(account, details, identityPublic);
    byte[] accountKey = account.getAccountSignatureKey().toByteArray();
    byte[] deviceSignature = Curve25519.sign(credentials.signedIdentityKey().privateKey(),
        concat(WireProtocol.ADV_DEVICE_PREFIX, account.getDetails().toByteArray(), identityPublic,
            accountKey));
    ADVSignedDeviceIdentity signed = account.toBuilder()
        .setDeviceSignature(ByteString.copyFrom(deviceSignature)).build();
    byte[] reply = signed.toBuilder().clearAccountSignatureKey().build().toByteArray();
    Node platform = pairSuccess.child("platform");
    Node biz = pairSuccess.child("biz");
    return new Verified(deviceJid, lid, platform == null ? null : platform.attr("name"),
        biz == null ? null : biz.attr("name"), signed.toByteArray(), reply, details.getKeyIndex());
  }

  /** The answer {@code <iq type=result id><pair-device-sign><device-identity key-index>}. */
  static Node reply(Node pairSuccessIq, Verified verified) {
    Node identity = Node.of("device-identity",
        Node.attrsOf("key-index", Integer.toString(verified.keyIndex())), verified.replyIdentity());
    Node sign = Node.of("pair-device-sign", Node.attrsOf(), java.util.List.of(identity));
    return Node.of("iq", Node.attrsOf("to", WireProtocol.SERVER, "type", "result",
        "id", pairSuccessIq.attrOr("id", "")), java.util.List.of(sign));
  }

  private static ADVSignedDeviceIdentity checkHmac(byte[] wrapperBytes, Credentials credentials)
      throws PairingException {
    try {
      ADVSignedDeviceIdentityHMAC wrapper = ADVSignedDeviceIdentityHMAC.parseFrom(wrapperBytes);
      byte[] details = wrapper.getDetails().toByteArray();
      byte[] prefix = wrapper.getAccountType() == ADVEncryptionType.HOSTED
          ? WireProtocol.ADV_HOSTED_ACCOUNT_PREFIX : new byte[0];
      byte[] expected = Hkdf.hmacSha256(credentials.advSecretKey(), prefix, details);
      if (!MessageDigest.isEqual(expected, wrapper.getHmac().toByteArray())) {
        throw new PairingException("adv hmac mismatch");
      }
      return ADVSignedDeviceIdentity.parseFrom(details);
    } catch (InvalidProtocolBufferException e) {
      throw new PairingException("malformed device-identity: " + e.getMessage(), e);
    }
  }

  private static ADVDeviceIdentity parseDetails(ADVSignedDeviceIdentity account)
      throws PairingException {
    try {
      return ADVDeviceIdentity.parseFrom(account.getDetails());
    } catch (InvalidProtocolBufferException e) {
      throw new PairingException("malformed ADVDeviceIdentity: " + e.getMessage(), e);
    }
  }

  private static void checkAccountSignature(ADVSignedDeviceIdentity account,
      ADVDeviceIdentity details, byte[] identityPublic) throws PairingException {
    byte[] accountKey = account.getAccountSignatureKey().toByteArray();
    if (accountKey.length != Curve25519.KEY_LENGTH) {
      throw new PairingException("account signature key has " + accountKey.length + " bytes");
    }
    byte[] prefix = details.getDeviceType() == ADVEncryptionType.HOSTED
        ? WireProtocol.ADV_HOSTED_ACCOUNT_PREFIX : WireProtocol.ADV_ACCOUNT_PREFIX;
    byte[] message = concat(prefix, account.getDetails().toByteArray(), identityPublic);
    if (!Curve25519.verify(accountKey, message, account.getAccountSignature().toByteArray())) {
      throw new PairingException("account signature invalid");
    }
  }

  private static Jid parseJid(String value, String what) throws PairingException {
    Jid jid = value == null ? null : Jid.tryParse(value);
    if (jid == null) {
      throw new PairingException("pair-success has no valid " + what);
    }
    return jid;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
