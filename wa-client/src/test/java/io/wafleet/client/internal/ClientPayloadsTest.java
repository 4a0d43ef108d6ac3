package io.wafleet.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.auth.Credentials;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hex;
import io.wafleet.client.model.Jid;
import io.wafleet.client.proto.ClientPayload;
import io.wafleet.client.proto.DeviceProps;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Registration and login payloads (§3) and the QR string (§6.2). */
class ClientPayloadsTest {

  private final Credentials creds = Credentials.generate(new SecureRandom());

  @Test
  void registration_carriesKeysInWireLengths() throws Exception {
    ClientPayload payload = ClientPayloads.forCredentials(creds);
    assertFalse(payload.getPassive());
    assertFalse(payload.getPull());
    assertFalse(payload.hasUsername());
    ClientPayload.DevicePairingRegistrationData data = payload.getDevicePairingData();
    assertEquals(4, data.getERegid().size());
    assertEquals(creds.registrationId(), WireProtocol.fromBigEndian(data.getERegid().toByteArray()));
    assertArrayEquals(new byte[] {5}, data.getEKeytype().toByteArray());
    assertArrayEquals(creds.signedIdentityKey().publicKey(), data.getEIdent().toByteArray());
    assertArrayEquals(new byte[] {0, 0, 1}, data.getESkeyId().toByteArray());
    assertEquals(32, data.getESkeyVal().size());
    assertTrue(Curve25519.verify(data.getEIdent().toByteArray(),
        Curve25519.withTypePrefix(data.getESkeyVal().toByteArray()), data.getESkeySig().toByteArray()));
    assertEquals("54bb0d4e84a27cb53abb2633273c1708", Hex.encode(data.getBuildHash().toByteArray()));
    DeviceProps props = DeviceProps.parseFrom(data.getDeviceProps());
    assertEquals("Mac OS", props.getOs());
    assertEquals(DeviceProps.PlatformType.CHROME, props.getPlatformType());
    assertEquals(10240, props.getHistorySyncConfig().getStorageQuotaMb());
    assertEquals(ClientPayload.UserAgent.Platform.WEB, payload.getUserAgent().getPlatform());
    assertEquals(1027934701, payload.getUserAgent().getAppVersion().getTertiary());
    assertEquals(ClientPayload.ConnectType.WIFI_UNKNOWN, payload.getConnectType());
  }

  @Test
  void login_carriesUserAndDevice() {
    Credentials paired = creds.toBuilder().me(Jid.parse("15550001111:7@s.whatsapp.net"))
        .account(new byte[] {1}).build();
    ClientPayload payload = ClientPayloads.forCredentials(paired);
    assertEquals(15550001111L, payload.getUsername());
    assertEquals(7, payload.getDevice());
    assertTrue(payload.getPassive());
    assertTrue(payload.getPull());
    assertTrue(payload.hasLidDbMigrated());
    assertFalse(payload.hasDevicePairingData());
  }

  @Test
  void qr_isRefThenThreeBase64Fields() {
    String qr = PairingQrFormat.format("2@abc==", creds);
    String[] parts = qr.split(",");
    assertEquals(4, parts.length);
    assertEquals("2@abc==", parts[0]);
    assertEquals(44, parts[1].length());
    assertArrayEquals(creds.noiseKey().publicKey(), Base64.getDecoder().decode(parts[1]));
    assertArrayEquals(creds.signedIdentityKey().publicKey(), Base64.getDecoder().decode(parts[2]));
    assertArrayEquals(creds.advSecretKey(), Base64.getDecoder().decode(parts[3]));
  }
}
