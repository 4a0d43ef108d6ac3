package io.wafleet.client.signal;

import io.wafleet.client.crypto.Curve25519;
import io.wafleet.client.crypto.Hkdf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * X3DH without Kyber, libsignal-node session_builder.js initSession (§10.2). Both sides build
 * {@code 32×FF ‖ DH(IKa, SPKb) ‖ DH(EKa, IKb) ‖ DH(EKa, SPKb) [‖ DH(EKa, OPKb)]} and derive the
 * root key with {@code HKDF(secret, 32 zero bytes, "WhisperText")}. A = initiator, B = responder;
 * I = identity, E = base (ephemeral) key, SPK = signed pre-key, OPK = one-time pre-key.
 * Stateless; thread-safe.
 */
final class X3dh {

  private static final byte[] WHISPER_TEXT = "WhisperText".getBytes(StandardCharsets.US_ASCII);

  private X3dh() {}

  /** Alice's side: our identity and base key private halves against Bob's bundle keys. */
  static byte[] initiatorRootKey(byte[] ourIdentityPrivate, byte[] ourBasePrivate,
      byte[] theirIdentity, byte[] theirSignedPreKey, byte[] theirOneTimePreKey) {
    return rootKey(
        Curve25519.agree(ourIdentityPrivate, theirSignedPreKey),
        Curve25519.agree(ourBasePrivate, theirIdentity),
        Curve25519.agree(ourBasePrivate, theirSignedPreKey),
        theirOneTimePreKey == null ? null : Curve25519.agree(ourBasePrivate, theirOneTimePreKey));
  }

  /** Bob's side: our pre-key private halves against Alice's identity and base key. */
  static byte[] responderRootKey(byte[] ourIdentityPrivate, byte[] ourSignedPreKeyPrivate,
      byte[] ourOneTimePreKeyPrivate, byte[] theirIdentity, byte[] theirBaseKey) {
    return rootKey(
        Curve25519.agree(ourSignedPreKeyPrivate, theirIdentity),
        Curve25519.agree(ourIdentityPrivate, theirBaseKey),
        Curve25519.agree(ourSignedPreKeyPrivate, theirBaseKey),
        ourOneTimePreKeyPrivate == null
            ? null
            : Curve25519.agree(ourOneTimePreKeyPrivate, theirBaseKey));
  }

  private static byte[] rootKey(byte[] dh1, byte[] dh2, byte[] dh3, byte[] dh4) {
    ByteArrayOutputStream secret = new ByteArrayOutputStream(32 * 5);
    byte[] discontinuity = new byte[32];
    Arrays.fill(discontinuity, (byte) 0xFF);
    secret.writeBytes(discontinuity);
    secret.writeBytes(dh1);
    secret.writeBytes(dh2);
    secret.writeBytes(dh3);
    if (dh4 != null) {
      secret.writeBytes(dh4);
    }
    return Hkdf.derive(secret.toByteArray(), new byte[32], WHISPER_TEXT, 32);
  }
}
