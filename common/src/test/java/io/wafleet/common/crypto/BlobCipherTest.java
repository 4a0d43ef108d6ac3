package io.wafleet.common.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlobCipherTest {

  private static final byte[] KEY_A = filled(1);
  private static final byte[] KEY_B = filled(2);
  private static final String CONTEXT = "wa_sessions/acc-1";

  @Test
  void encryptDecrypt_roundTrip_returnsPlaintextAndKeyId() {
    BlobCipher cipher = new BlobCipher(new KeyRing(Map.of("k1", KEY_A), "k1"));
    byte[] secret = "noise-key-and-identity".getBytes(StandardCharsets.UTF_8);
    EncryptedBlob blob = cipher.encrypt(secret, CONTEXT);
    assertEquals("k1", blob.keyId());
    assertFalse(new String(blob.data(), StandardCharsets.ISO_8859_1).contains("noise-key"));
    assertArrayEquals(secret, cipher.decrypt(blob, CONTEXT));
  }

  @Test
  void decrypt_tamperedByte_failsWithBlobDecryptionException() {
    BlobCipher cipher = new BlobCipher(new KeyRing(Map.of("k1", KEY_A), "k1"));
    EncryptedBlob blob = cipher.encrypt(new byte[100], CONTEXT);
    for (int i = 0; i < blob.data().length; i++) {
      byte[] data = blob.data();
      data[i] ^= 0x40;
      EncryptedBlob tampered = new EncryptedBlob("k1", data);
      assertThrows(BlobDecryptionException.class, () -> cipher.decrypt(tampered, CONTEXT), "byte " + i);
    }
  }

  @Test
  void decrypt_truncated_failsWithBlobDecryptionException() {
    BlobCipher cipher = new BlobCipher(new KeyRing(Map.of("k1", KEY_A), "k1"));
    byte[] data = cipher.encrypt(new byte[40], CONTEXT).data();
    for (int length = 0; length < data.length; length++) {
      EncryptedBlob cut = new EncryptedBlob("k1", Arrays.copyOf(data, length));
      assertThrows(BlobDecryptionException.class, () -> cipher.decrypt(cut, CONTEXT), "length " + length);
    }
  }

  @Test
  void decrypt_unknownKeyId_failsNamingTheKeyId() {
    BlobCipher writer = new BlobCipher(new KeyRing(Map.of("old", KEY_A), "old"));
    BlobCipher reader = new BlobCipher(new KeyRing(Map.of("new", KEY_B), "new"));
    EncryptedBlob blob = writer.encrypt(new byte[8], CONTEXT);
    BlobDecryptionException e = assertThrows(BlobDecryptionException.class, () -> reader.decrypt(blob, CONTEXT));
    assertTrue(e.getMessage().contains("old"), e.getMessage());
  }

  @Test
  void decrypt_otherDocumentContext_fails() {
    BlobCipher cipher = new BlobCipher(new KeyRing(Map.of("k1", KEY_A), "k1"));
    EncryptedBlob blob = cipher.encrypt(new byte[8], "wa_sessions/acc-1");
    assertThrows(BlobDecryptionException.class, () -> cipher.decrypt(blob, "wa_sessions/acc-2"));
  }

  @Test
  void decrypt_afterRotation_oldBlobsStillDecryptAndNewOnesUseNewKey() {
    BlobCipher before = new BlobCipher(new KeyRing(Map.of("k1", KEY_A), "k1"));
    EncryptedBlob old = before.encrypt(new byte[] {7}, CONTEXT);
    BlobCipher after = new BlobCipher(KeyRing.parse("k2:" + b64(KEY_B) + ",k1:" + b64(KEY_A)));
    assertArrayEquals(new byte[] {7}, after.decrypt(old, CONTEXT));
    assertEquals("k2", after.encrypt(new byte[] {7}, CONTEXT).keyId());
  }

  @Test
  void keyRingParse_badSpecs_throwWithoutEchoingKeys() {
    assertThrows(IllegalArgumentException.class, () -> KeyRing.parse(""));
    assertThrows(IllegalArgumentException.class, () -> KeyRing.parse("nokey"));
    assertThrows(IllegalArgumentException.class, () -> KeyRing.parse("k1:!!!"));
    assertThrows(IllegalArgumentException.class, () -> KeyRing.parse("k1:" + b64(new byte[16])));
    IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
        () -> KeyRing.parse("k1:" + b64(KEY_A) + ",k1:" + b64(KEY_B)));
    assertFalse(dup.getMessage().contains(b64(KEY_A)));
  }

  private static byte[] filled(int value) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) value);
    return key;
  }

  private static String b64(byte[] key) {
    return Base64.getEncoder().encodeToString(key);
  }
}
