package io.wafleet.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wafleet.client.binary.Node;
import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hkdf;
import io.wafleet.client.proto.ADVDeviceIdentity;
import io.wafleet.client.proto.ADVSignedDeviceIdentity;
import io.wafleet.client.proto.ADVSignedDeviceIdentityHMAC;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The companion's side of pairing for tests (§6.1, §6.4, §6.5), checking what a client checks:
 * the HMAC over the signed identity and the account signature, then answering pair-device-sign.
 */
final class TestPairing {

  private TestPairing() {}

  /** The refs of a pair-device iq (§6.1). */
  static List<String> refs(Node pairDevice) {
    assertEquals("iq", pairDevice.tag());
    Node container = pairDevice.children().get(0);
    assertEquals("pair-device", container.tag());
    return container.children("ref").stream()
        .map(ref -> new String(ref.bytes(), StandardCharsets.UTF_8)).toList();
  }

  /** Checks pair-success like Baileys does and answers with pair-device-sign; returns the device jid. */
  static String answerPairSuccess(TestWaClient client, TestCreds creds, Node iq) throws Exception {
    Node success = iq.children().get(0);
    assertEquals("pair-success", success.tag());
    Node device = success.child("device");
    assertNotNull(device);
    byte[] wrapperBytes = success.child("device-identity").bytes();
    ADVSignedDeviceIdentityHMAC wrapper = ADVSignedDeviceIdentityHMAC.parseFrom(wrapperBytes);
    byte[] signedBytes = wrapper.getDetails().toByteArray();
    assertArrayEquals(Hkdf.hmacSha256(creds.advSecret, signedBytes), wrapper.getHmac().toByteArray(),
        "HMAC over the signed identity keyed by advSecret (§6.5 step 1)");
    ADVSignedDeviceIdentity signed = ADVSignedDeviceIdentity.parseFrom(signedBytes);
    byte[] details = signed.getDetails().toByteArray();
    byte[] accountKey = signed.getAccountSignatureKey().toByteArray();
    assertTrue(Curve25519.verify(accountKey,
        concat(new byte[] {6, 0}, details, creds.identity.publicKey()),
        signed.getAccountSignature().toByteArray()), "account signature (§6.5 step 2)");
    int keyIndex = ADVDeviceIdentity.parseFrom(details).getKeyIndex();
    byte[] deviceSignature = Curve25519.sign(creds.identity.privateKey(),
        concat(new byte[] {6, 1}, details, creds.identity.publicKey(), accountKey));
    byte[] reply = signed.toBuilder().clearAccountSignatureKey()
        .setDeviceSignature(ByteString.copyFrom(deviceSignature)).build().toByteArray();
    client.send(Node.of("iq", Node.attrsOf("to", "@s.whatsapp.net", "type", "result",
        "id", iq.attr("id")), List.of(Node.of("pair-device-sign", Map.of(), List.of(
            Node.of("device-identity", Node.attrsOf("key-index", Integer.toString(keyIndex)),
                reply))))));
    creds.meJid = device.attr("jid");
    return creds.meJid;
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
