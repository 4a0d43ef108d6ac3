package io.wafleet.client.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptography of pairing by code (docs/protocol.md §6.7), the same on the companion's and
 * the phone's side: the 8-character code, the PBKDF2 + AES-256-CTR wrapping of an ephemeral public
 * key, the AES-256-GCM key bundle under an HKDF key, and the derived ADV secret. Stateless;
 * thread-safe.
 */
public final class LinkCodeCrypto {

  /** The code's alphabet: Crockford-like base32 without 0, I, O and U (§6.7). */
  public static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";
  public static final int CODE_LENGTH = 8;
  /** salt (32) ‖ iv (16) ‖ AES-CTR of a 32-byte public key. */
  public static final int WRAPPED_KEY_LENGTH = 80;
  /** salt (32) ‖ iv (12) ‖ AES-GCM of 96 bytes with its 16-byte tag. */
  public static final int WRAPPED_BUNDLE_LENGTH = 156;
  /** The bundle's plaintext: companion identity (32) ‖ primary identity (32) ‖ random (32). */
  public static final int BUNDLE_LENGTH = 96;
  /** 2 &lt;&lt; 16, as Baileys (src/Utils/crypto.ts) and whatsmeow (pair-code.go) use. */
  static final int PBKDF2_ITERATIONS = 2 << 16;
  private static final int SALT_LENGTH = 32;
  private static final int CTR_IV_LENGTH = 16;
  private static final int GCM_IV_LENGTH = 12;
  private static final byte[] BUNDLE_INFO =
      "link_code_pairing_key_bundle_encryption_key".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ADV_SECRET_INFO = "adv_secret".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern CODE = Pattern.compile("[" + ALPHABET + "]{" + CODE_LENGTH + "}");

  private LinkCodeCrypto() {}

  /** A fresh code: 5 random bytes as 8 characters of {@link #ALPHABET}, 5 bits each. */
  public static String newCode(SecureRandom random) {
    byte[] bytes = new byte[5];
    random.nextBytes(bytes);
    long value = 0;
    for (byte b : bytes) {
      value = value << 8 | (b & 0xFF);
    }
    char[] out = new char[CODE_LENGTH];
    for (int i = CODE_LENGTH - 1; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (value & 31));
      value >>>= 5;
    }
    return new String(out);
  }

  /** True for 8 characters of {@link #ALPHABET} (upper case, no separator). */
  public static boolean isWellFormedCode(String code) {
    return code != null && CODE.matcher(code).matches();
  }

  /** salt ‖ iv ‖ AES-256-CTR(PBKDF2(code, salt), iv, publicKey): 80 bytes. */
  public static byte[] wrapKey(String code, byte[] publicKey, SecureRandom random) {
    requireLength(publicKey, Curve25519.KEY_LENGTH, "publicKey");
    byte[] salt = randomBytes(random, SALT_LENGTH);
    byte[] iv = randomBytes(random, CTR_IV_LENGTH);
    byte[] encrypted = ctr(codeKey(code, salt), iv, publicKey);
    return concat(salt, iv, encrypted);
  }

  /**
   * The public key inside an 80-byte wrapped key. AES-CTR has no integrity: a wrong code yields
   * 32 wrong bytes, never an error; only the key bundle (GCM) tells.
   *
   * @throws IllegalArgumentException if {@code wrapped} is not 80 bytes
   */
  public static byte[] unwrapKey(String code, byte[] wrapped) {
    requireLength(wrapped, WRAPPED_KEY_LENGTH, "wrapped key");
    byte[] salt = Arrays.copyOfRange(wrapped, 0, SALT_LENGTH);
    byte[] iv = Arrays.copyOfRange(wrapped, SALT_LENGTH, SALT_LENGTH + CTR_IV_LENGTH);
    byte[] encrypted = Arrays.copyOfRange(wrapped, SALT_LENGTH + CTR_IV_LENGTH, WRAPPED_KEY_LENGTH);
    return ctr(codeKey(code, salt), iv, encrypted);
  }

  /** salt ‖ iv ‖ AES-256-GCM(HKDF(ephemeralShared, salt, info), iv, bundle): 156 bytes. */
  public static byte[] wrapBundle(byte[] ephemeralShared, byte[] bundle, SecureRandom random) {
    requireLength(bundle, BUNDLE_LENGTH, "bundle");
    byte[] salt = randomBytes(random, SALT_LENGTH);
    byte[] iv = randomBytes(random, GCM_IV_LENGTH);
    byte[] key = Hkdf.derive(ephemeralShared, salt, BUNDLE_INFO, 32);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      return concat(salt, iv, cipher.doFinal(bundle));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * The 96-byte bundle inside a wrapped one.
   *
   * @throws BundleException if it is not 156 bytes or does not authenticate (a wrong code on
   *     either side)
   */
  public static byte[] unwrapBundle(byte[] ephemeralShared, byte[] wrapped) throws BundleException {
    if (wrapped == null || wrapped.length != WRAPPED_BUNDLE_LENGTH) {
      throw new BundleException("wrapped key bundle must be " + WRAPPED_BUNDLE_LENGTH + " bytes");
    }
    byte[] salt = Arrays.copyOfRange(wrapped, 0, SALT_LENGTH);
    byte[] iv = Arrays.copyOfRange(wrapped, SALT_LENGTH, SALT_LENGTH + GCM_IV_LENGTH);
    byte[] key = Hkdf.derive(ephemeralShared, salt, BUNDLE_INFO, 32);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      return cipher.doFinal(wrapped, SALT_LENGTH + GCM_IV_LENGTH,
          WRAPPED_BUNDLE_LENGTH - SALT_LENGTH - GCM_IV_LENGTH);
    } catch (AEADBadTagException e) {
      throw new BundleException("key bundle does not authenticate");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** HKDF(ephemeralShared ‖ identityShared ‖ random, no salt, "adv_secret"): 32 bytes. */
  public static byte[] advSecret(byte[] ephemeralShared, byte[] identityShared, byte[] random) {
    return Hkdf.derive(concat(ephemeralShared, identityShared, random), null, ADV_SECRET_INFO, 32);
  }

  /** The key bundle is malformed or was sealed under another key. */
  public static final class BundleException extends Exception {

    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
      super(message, null, false, false);
    }
  }

  private static byte[] codeKey(String code, byte[] salt) {
    if (code == null || code.isEmpty()) {
      throw new IllegalArgumentException("code is empty");
    }
    try {
      PBEKeySpec spec = new PBEKeySpec(code.toCharArray(), salt, PBKDF2_ITERATIONS, 256);
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
    }
  }

  private static byte[] ctr(byte[] key, byte[] iv, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-CTR unavailable", e);
    }
  }

  private static byte[] randomBytes(SecureRandom random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }

  private static void requireLength(byte[] value, int length, String name) {
    if (value == null || value.length != length) {
      throw new IllegalArgumentException(name + " must be " + length + " bytes");
    }
  }

  private static byte[] concat(byte[]... parts) {
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
