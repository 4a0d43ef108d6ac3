package io.wafleet.simulator.phone;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hkdf;
import io.wafleet.client.proto.ADVDeviceIdentity;
import io.wafleet.client.proto.ADVEncryptionType;
import io.wafleet.client.proto.ADVSignedDeviceIdentity;
import io.wafleet.client.proto.ADVSignedDeviceIdentityHMAC;
import java.time.Instant;
import java.util.Arrays;

/**
 * The phone's half of ADV pairing (§6.4, §6.5): builds the signed, HMAC-wrapped device identity
 * for pair-success and verifies the companion's device signature in pair-device-sign. Stateless;
 * thread-safe.
 */
public final class AdvPairing {

  /** §0: account signature prefix {@code 06 00}, device signature prefix {@code 06 01}. */
  static final byte[] ACCOUNT_PREFIX = {6, 0};
  static final byte[] DEVICE_PREFIX = {6, 1};

  private AdvPairing() {}

  /** Builds {@code D}, signs it with the account key and wraps it with the HMAC keyed by advSecret. */
  static PendingLink build(Phone phone, LinkedDevice device, int rawId, byte[] advSecret,
      Instant now) {
    byte[] details = ADVDeviceIdentity.newBuilder()
        .setRawId(rawId)
        .setTimestamp(now.getEpochSecond())
        .setKeyIndex(device.keyIndex())
        .setAccountType(ADVEncryptionType.E2EE)
        .setDeviceType(ADVEncryptionType.E2EE)
        .build().toByteArray();
    byte[] identity = device.registration().identityKey();
    byte[] accountSignature = Curve25519.sign(phone.accountKey().privateKey(),
        concat(ACCOUNT_PREFIX, details, identity));
    byte[] signedIdentity = ADVSignedDeviceIdentity.newBuilder()
        .setDetails(ByteString.copyFrom(details))
        .setAccountSignatureKey(ByteString.copyFrom(phone.accountKey().publicKey()))
        .setAccountSignature(ByteString.copyFrom(accountSignature))
        .build().toByteArray();
    byte[] wrapper = ADVSignedDeviceIdentityHMAC.newBuilder()
        .setDetails(ByteString.copyFrom(signedIdentity))
        .setHmac(ByteString.copyFrom(Hkdf.hmacSha256(advSecret, signedIdentity)))
        .setAccountType(ADVEncryptionType.E2EE)
        .build().toByteArray();
    return new PendingLink(phone, device, details, wrapper);
  }

  /**
   * Checks the {@code device-identity} of a pair-device-sign (§6.5 steps 3–4): same details
   * {@code D}, and a device signature by the companion's identity key over
   * {@code 06 01 ‖ D ‖ identityPub ‖ accountSignatureKey}.
   */
  public static boolean verifyDeviceSignature(PendingLink link, byte[] signedIdentityBytes) {
    ADVSignedDeviceIdentity signed;
    try {
      signed = ADVSignedDeviceIdentity.parseFrom(signedIdentityBytes);
    } catch (InvalidProtocolBufferException e) {
      return false;
    }
    byte[] details = link.deviceIdentityDetails();
    if (!Arrays.equals(details, signed.getDetails().toByteArray())) {
      return false;
    }
    byte[] identity = link.device().registration().identityKey();
    byte[] message = concat(DEVICE_PREFIX, details, identity, link.phone().accountKey().publicKey());
    return Curve25519.verify(identity, message, signed.getDeviceSignature().toByteArray());
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }
}
