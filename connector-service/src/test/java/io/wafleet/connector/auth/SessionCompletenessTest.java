package io.wafleet.connector.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wafleet.client.model.Jid;
import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.SignedPreKey;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SessionCompletenessTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void pairedCredentials_areComplete() {
    assertEquals(List.of(), SessionCompleteness.missingForLogin(paired()));
  }

  @Test
  void unpairedCredentials_lackTheDeviceIdentity() {
    assertEquals(List.of(SessionCompleteness.DEVICE_IDENTITY),
        SessionCompleteness.missingForLogin(Credentials.generate(RANDOM).toBuilder().registrationId(7).build()));
  }

  @Test
  void missingParts_areEachNamed() {
    Credentials base = paired();
    Credentials broken = base.toBuilder()
        .registrationId(0)
        .signedPreKey(new SignedPreKey(1, base.signedPreKey().keyPair(), new byte[64]))
        .build();
    assertEquals(List.of(SessionCompleteness.SIGNED_PRE_KEY, SessionCompleteness.REGISTRATION_ID),
        SessionCompleteness.missingForLogin(broken));
  }

  private static Credentials paired() {
    return Credentials.generate(RANDOM).toBuilder().registrationId(42)
        .me(Jid.parse("40700000001:3@s.whatsapp.net")).account(new byte[] {1, 2, 3}).build();
  }
}
