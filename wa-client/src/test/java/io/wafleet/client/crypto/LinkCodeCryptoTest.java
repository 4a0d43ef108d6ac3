package io.wafleet.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Vectors computed with Node's crypto (pbkdf2Sync, aes-256-ctr, hkdfSync) as Baileys uses it. */
class LinkCodeCryptoTest {

  /** Hands out 7s for the first request (the salt), then 9s (the iv). */
  private static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private int calls;

    @Override
    public void nextBytes(byte[] bytes) {
      Arrays.fill(bytes, (byte) (calls++ == 0 ? 7 : 9));
    }
  }

  @Test
  void wrapKey_fixedSaltAndIv_matchesNodeVector() {
    byte[] publicKey = new byte[32];
    Arrays.fill(publicKey, (byte) 1);
    byte[] wrapped = LinkCodeCrypto.wrapKey("ABCDEFGH", publicKey, new FixedRandom());
    assertEquals(80, wrapped.length);
    assertEquals("a80f85f1cfdb30014345a1a34251a8c50003bdeb08a958e930bdff8effa237b8",
        Hex.encode(Arrays.copyOfRange(wrapped, 48, 80)));
    assertArrayEquals(publicKey, LinkCodeCrypto.unwrapKey("ABCDEFGH", wrapped));
  }

  @Test
  void unwrapKey_wrongCode_givesOtherBytesNotAnError() {
    byte[] publicKey = Curve25519.generateKeyPair().publicKey();
    byte[] wrapped = LinkCodeCrypto.wrapKey("ABCDEFGH", publicKey, new SecureRandom());
    assertFalse(Arrays.equals(publicKey, LinkCodeCrypto.unwrapKey("ABCDEFGJ", wrapped)));
    assertThrows(IllegalArgumentException.class,
        () -> LinkCodeCrypto.unwrapKey("ABCDEFGH", Arrays.copyOf(wrapped, 79)));
  }

  @Test
  void advSecret_matchesNodeHkdfVector() {
    byte[] part = new byte[32];
    Arrays.fill(part, (byte) 3);
    assertEquals("5e6ffcf794b01c5192783c63ec971b49bec4a71598cf2c1d151a100f2b60434a",
        Hex.encode(LinkCodeCrypto.advSecret(part, part, part)));
  }

  @Test
  void bundle_roundTrips_andFailsUnderAnotherKey() throws Exception {
    byte[] shared = new byte[32];
    new SecureRandom().nextBytes(shared);
    byte[] bundle = new byte[96];
    new SecureRandom().nextBytes(bundle);
    byte[] wrapped = LinkCodeCrypto.wrapBundle(shared, bundle, new SecureRandom());
    assertEquals(156, wrapped.length);
    assertArrayEquals(bundle, LinkCodeCrypto.unwrapBundle(shared, wrapped));
    byte[] other = shared.clone();
    other[0] ^= 1;
    assertThrows(LinkCodeCrypto.BundleException.class, () -> LinkCodeCrypto.unwrapBundle(other, wrapped));
    assertThrows(LinkCodeCrypto.BundleException.class,
        () -> LinkCodeCrypto.unwrapBundle(shared, Arrays.copyOf(wrapped, 155)));
  }

  @Test
  void newCode_isEightCharactersOfTheAlphabet() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 200; i++) {
      assertTrue(LinkCodeCrypto.isWellFormedCode(LinkCodeCrypto.newCode(random)));
    }
    assertFalse(LinkCodeCrypto.isWellFormedCode("ABCDEFG0"));
    assertFalse(LinkCodeCrypto.isWellFormedCode("abcdefgh"));
  }
}
