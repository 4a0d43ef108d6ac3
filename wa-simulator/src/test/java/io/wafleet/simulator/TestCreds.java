package io.wafleet.simulator;

import com.google.protobuf.ByteString;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.KeyPair;
import io.wafleet.client.proto.ClientPayload;
import io.wafleet.client.proto.ClientPayload.DevicePairingRegistrationData;
import io.wafleet.client.proto.ClientPayload.UserAgent;
import io.wafleet.client.proto.DeviceProps;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A test companion's credentials, as Baileys keeps them in {@code creds} (§3, §6.2): Noise static
 * key, identity key, signed pre-key, registration id, ADV secret, and after pairing its JID.
 * Mutable (me is set after pairing); not thread-safe.
 */
final class TestCreds {

  private static final SecureRandom RANDOM = new SecureRandom();

  final KeyPair noiseKey = Curve25519.generateKeyPair();
  final KeyPair identity = Curve25519.generateKeyPair();
  final KeyPair signedPreKey = Curve25519.generateKeyPair();
  final byte[] signedPreKeySignature =
      Curve25519.sign(identity.privateKey(), Curve25519.withTypePrefix(signedPreKey.publicKey()));
  final int registrationId = RANDOM.nextInt(0x3FFF) + 1;
  final byte[] advSecret = new byte[32];
  String meJid;

  TestCreds() {
    RANDOM.nextBytes(advSecret);
  }

  /** The QR string for a ref (§6.2). */
  String qr(String ref) {
    Base64.Encoder b64 = Base64.getEncoder();
    return ref + "," + b64.encodeToString(noiseKey.publicKey()) + ","
        + b64.encodeToString(identity.publicKey()) + "," + b64.encodeToString(advSecret);
  }

  /** §3.2 registration payload. */
  byte[] registrationPayload() {
    DevicePairingRegistrationData data = DevicePairingRegistrationData.newBuilder()
        .setERegid(ByteString.copyFrom(new byte[] {0, 0, (byte) (registrationId >> 8),
            (byte) registrationId}))
        .setEKeytype(ByteString.copyFrom(new byte[] {5}))
        .setEIdent(ByteString.copyFrom(identity.publicKey()))
        .setESkeyId(ByteString.copyFrom(new byte[] {0, 0, 1}))
        .setESkeyVal(ByteString.copyFrom(signedPreKey.publicKey()))
        .setESkeySig(ByteString.copyFrom(signedPreKeySignature))
        .setDeviceProps(DeviceProps.newBuilder().setOs("Test").build().toByteString())
        .build();
    return base().setPassive(false).setPull(false).setDevicePairingData(data).build().toByteArray();
  }

  /** §3.3 login payload for {@code user:device@s.whatsapp.net}. */
  byte[] loginPayload(long username, int device) {
    return base().setUsername(username).setDevice(device).setPassive(true).setPull(true).build()
        .toByteArray();
  }

  private static ClientPayload.Builder base() {
    return ClientPayload.newBuilder()
        .setConnectType(ClientPayload.ConnectType.WIFI_UNKNOWN)
        .setConnectReason(ClientPayload.ConnectReason.USER_ACTIVATED)
        .setUserAgent(UserAgent.newBuilder().setPlatform(UserAgent.Platform.WEB));
  }
}
