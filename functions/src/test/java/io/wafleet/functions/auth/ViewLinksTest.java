package io.wafleet.functions.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ViewLinksTest {

  static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void adminToken_matchesOnlyTheExactToken() {
    AdminToken t = new AdminToken(TOKEN);
    assertTrue(t.matches(TOKEN));
    assertFalse(t.matches(TOKEN + " "));
    assertFalse(t.matches(TOKEN.substring(1)));
    assertFalse(t.matches(null));
    assertFalse(t.toString().contains(TOKEN));
    assertThrows(IllegalArgumentException.class, () -> new AdminToken("short"));
  }

  @Test
  void verify_issuedForPath_validUntilExpiry() {
    ViewLinks links = new ViewLinks(new AdminToken(TOKEN), clock);
    String token = links.issue("/v1/dashboard.html").token();
    assertFalse(token.contains(TOKEN));
    assertTrue(links.verify(token, "/v1/dashboard.html"));
    assertFalse(links.verify(token, "/v1/accounts"));
    clock.advance(Duration.ofMinutes(5));
    assertFalse(links.verify(token, "/v1/dashboard.html"));
  }

  @Test
  void verify_tamperedOrOtherKey_isRefused() {
    ViewLinks links = new ViewLinks(new AdminToken(TOKEN), clock);
    String token = links.issue("/v1/dashboard.html").token();
    String later = (Long.parseLong(token.substring(0, token.indexOf('.'))) + 3600) + token.substring(token.indexOf('.'));
    assertFalse(links.verify(later, "/v1/dashboard.html"));
    assertFalse(new ViewLinks(new AdminToken(TOKEN.replace('0', 'z')), clock).verify(token, "/v1/dashboard.html"));
    assertFalse(links.verify("garbage", "/v1/dashboard.html"));
    assertFalse(links.verify(".x", "/v1/dashboard.html"));
  }
}
