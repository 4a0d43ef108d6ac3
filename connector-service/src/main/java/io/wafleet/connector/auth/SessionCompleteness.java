package io.wafleet.connector.auth;

import io.wafleet.client.auth.Credentials;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before connecting, that restored credentials hold everything a login needs, and names
 * what is missing. A paired session that lacks a part cannot log in: the supervisor reports the
 * names ({@code lastError} detail) and offers a QR instead of looping on refused logins. Stateless.
 */
public final class SessionCompleteness {

  /** The paired device identity: {@code me} and the signed ADV account from pair-success. */
  public static final String DEVICE_IDENTITY = "device-identity";
  /** The Signal identity key pair. */
  public static final String IDENTITY_KEY = "identity-key";
  /** The signed pre-key pair. */
  public static final String SIGNED_PRE_KEY = "signed-pre-key";
  /**
   * The Signal registration id. 0 is what a stored credentials message without the field reads as
   * (proto3 default), so it counts as missing.
   */
  public static final String REGISTRATION_ID = "registration-id";
  /** The Noise static key the server knows the device by. */
  public static final String NOISE_KEY = "noise-key";

  private SessionCompleteness() {}

  /** The parts of {@code credentials} a login needs that are missing; empty when complete. */
  public static List<String> missingForLogin(Credentials credentials) {
    List<String> missing = new ArrayList<>();
    if (!credentials.isPaired()) {
      missing.add(DEVICE_IDENTITY);
    }
    if (isBlank(credentials.noiseKey().privateKey(), credentials.noiseKey().publicKey())) {
      missing.add(NOISE_KEY);
    }
    if (isBlank(credentials.signedIdentityKey().privateKey(),
        credentials.signedIdentityKey().publicKey())) {
      missing.add(IDENTITY_KEY);
    }
    if (isBlank(credentials.signedPreKey().keyPair().privateKey(),
        credentials.signedPreKey().keyPair().publicKey()) || allZero(credentials.signedPreKey().signature())) {
      missing.add(SIGNED_PRE_KEY);
    }
    if (credentials.registrationId() == 0) {
      missing.add(REGISTRATION_ID);
    }
    return List.copyOf(missing);
  }

  private static boolean isBlank(byte[] privateKey, byte[] publicKey) {
    return allZero(privateKey) || allZero(publicKey);
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
