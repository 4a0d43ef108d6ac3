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
}
