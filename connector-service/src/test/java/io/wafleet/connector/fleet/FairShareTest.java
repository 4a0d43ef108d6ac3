package io.wafleet.connector.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FairShareTest {

  @Test
  void aloneAnInstanceTakesUpToItsCap() {
    assertEquals(3000, ClaimLoop.fairShare(10_000, 1, 2, 3000));
    assertEquals(3000, ClaimLoop.fairShare(5, 0, 2, 3000));
  }

  @Test
  void withPeersAnInstanceTakesTheCeilingOfItsShareplusSlack() {
    assertEquals(17, ClaimLoop.fairShare(30, 2, 2, 3000));
    assertEquals(13, ClaimLoop.fairShare(31, 3, 2, 3000));
    assertEquals(11, ClaimLoop.fairShare(31, 3, 0, 3000));
    assertEquals(10, ClaimLoop.fairShare(31, 3, 0, 10));
  }

  @Test
  void liveInstances_countsSelfOnce_andPeersLiveByTheClaimsSkewRule() {
    java.time.Instant now = java.time.Instant.parse("2026-12-02T10:00:00Z");
    java.time.Duration skew = java.time.Duration.ofSeconds(5);
    java.util.List<io.wafleet.common.model.Lease> leases = java.util.List.of(
        lease("self", now.plusSeconds(20)),
        lease("just-lapsed", now.minusSeconds(4)),
        lease("dead", now.minusSeconds(5)),
        lease("live", now.plusSeconds(1)));
    assertEquals(3, ClaimLoop.liveInstances(leases, "self", now, skew), "self, live and the one within the skew");
    assertEquals(1, ClaimLoop.liveInstances(java.util.List.of(), "self", now, skew), "self even before its lease is listed");
  }

  private static io.wafleet.common.model.Lease lease(String id, java.time.Instant until) {
    return new io.wafleet.common.model.Lease(id, until, 1, until.minusSeconds(30), until.minusSeconds(30), "v", 0, 0,
        "i", "h", until.minusSeconds(30));
  }
}
