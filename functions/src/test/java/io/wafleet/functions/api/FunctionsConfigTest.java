package io.wafleet.functions.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FunctionsConfigTest {

  static final String TOKEN = "0123456789abcdef0123456789abcdef";

  private static Map<String, String> env(String... kv) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return env;
  }

  @Test
  void fromEnv_emulatorOnly_defaultsProjectAndStaleLimit() {
    FunctionsConfig c = FunctionsConfig.fromEnv(env("FIRESTORE_EMULATOR_HOST", "127.0.0.1:8081", "WAFLEET_ADMIN_TOKEN", TOKEN));
    assertEquals("demo-wafleet", c.projectId());
    assertEquals(Duration.ofSeconds(180), c.connectorStale());
    assertEquals("dev", c.version());
    assertTrue(c.idTokens().isEmpty());
  }

  @Test
  void fromEnv_noProjectAndNoEmulator_refusesNamingTheVariable() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FunctionsConfig.fromEnv(env("WAFLEET_ADMIN_TOKEN", TOKEN)));
    assertTrue(e.getMessage().contains("GOOGLE_CLOUD_PROJECT"));
  }

  @Test
  void fromEnv_missingOrShortAdminToken_refuses() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FunctionsConfig.fromEnv(env("GOOGLE_CLOUD_PROJECT", "p"))).getMessage().contains("WAFLEET_ADMIN_TOKEN"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> FunctionsConfig.fromEnv(env("GOOGLE_CLOUD_PROJECT", "p", "WAFLEET_ADMIN_TOKEN", "short")))
        .getMessage().contains("32"));
  }

  @Test
  void fromEnv_idTokens_needAudienceAndEmailsTogether() {
    FunctionsConfig c = FunctionsConfig.fromEnv(env("GOOGLE_CLOUD_PROJECT", "p", "WAFLEET_ADMIN_TOKEN", TOKEN,
        "WAFLEET_ID_TOKEN_AUDIENCE", "https://api", "WAFLEET_ID_TOKEN_ALLOWED_EMAILS", "a@x.com, b@x.com"));
    assertEquals(Set.of("a@x.com", "b@x.com"), c.idTokens().orElseThrow().allowedEmails());
    assertEquals(FunctionsConfig.GOOGLE_CERTS_URL, c.idTokens().orElseThrow().certsUrl());
    assertThrows(IllegalArgumentException.class, () -> FunctionsConfig.fromEnv(env("GOOGLE_CLOUD_PROJECT", "p",
        "WAFLEET_ADMIN_TOKEN", TOKEN, "WAFLEET_ID_TOKEN_AUDIENCE", "https://api")));
    assertThrows(IllegalArgumentException.class, () -> FunctionsConfig.fromEnv(env("GOOGLE_CLOUD_PROJECT", "p",
        "WAFLEET_ADMIN_TOKEN", TOKEN, "WAFLEET_ID_TOKEN_ALLOWED_EMAILS", "a@x.com")));
  }

  @Test
  void fromEnv_badStaleSeconds_refuses() {
    assertThrows(IllegalArgumentException.class, () -> FunctionsConfig.fromEnv(env("GOOGLE_CLOUD_PROJECT", "p",
        "WAFLEET_ADMIN_TOKEN", TOKEN, "WAFLEET_CONNECTOR_STALE_SECONDS", "0")));
    assertThrows(IllegalArgumentException.class, () -> FunctionsConfig.fromEnv(env("GOOGLE_CLOUD_PROJECT", "p",
        "WAFLEET_ADMIN_TOKEN", TOKEN, "WAFLEET_CONNECTOR_STALE_SECONDS", "soon")));
  }

  @Test
  void toString_neverPrintsSecrets() {
    FunctionsConfig c = FunctionsConfig.fromEnv(env("GOOGLE_CLOUD_PROJECT", "p", "WAFLEET_ADMIN_TOKEN", TOKEN,
        "WAFLEET_SESSION_KEYS", "k1:c2VjcmV0"));
    assertFalse(c.toString().contains(TOKEN));
    assertFalse(c.toString().contains("c2VjcmV0"));
  }
}
