package io.wafleet.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Curve25519Test {

  @Test
  void agree_bothSides_deriveTheSameSecret() {
    KeyPair alice = Curve25519.generateKeyPair();
    KeyPair bob = Curve25519.generateKeyPair();
    assertArrayEquals(
        Curve25519.agree(alice.privateKey(), bob.publicKey()),
        Curve25519.agree(bob.privateKey(), alice.publicKey()));
  }

  @Test
  void sign_verifiesWithPublicKey_andFailsOnTamperedMessage() {
    KeyPair pair = Curve25519.generateKeyPair();
    byte[] message = "pair-device".getBytes(StandardCharsets.UTF_8);
    byte[] signature = Curve25519.sign(pair.privateKey(), message);
    assertEquals(64, signature.length);
    assertTrue(Curve25519.verify(pair.publicKey(), message, signature));
    assertTrue(Curve25519.verify(Curve25519.withTypePrefix(pair.publicKey()), message, signature));
    message[0] ^= 1;
    assertFalse(Curve25519.verify(pair.publicKey(), message, signature));
    assertFalse(Curve25519.verify(pair.publicKey(), message, new byte[3]));
  }

  @Test
  void keyPairFromPrivate_recoversPublicKey() {
    KeyPair pair = Curve25519.generateKeyPair();
    assertEquals(pair, Curve25519.keyPairFromPrivate(pair.privateKey()));
  }
}
