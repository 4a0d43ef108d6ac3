package io.wafleet.connector.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BackoffTest {

  @Test
  void delay_withoutJitter_followsTheStepsThenStaysAtTheCap() {
    Backoff backoff = Backoff.standard(() -> 0.5);
    long[] expected = {1, 2, 4, 8, 16, 32, 60, 60, 60};
    for (int attempt = 1; attempt <= expected.length; attempt++) {
      assertEquals(Duration.ofSeconds(expected[attempt - 1]), backoff.delay(attempt), "attempt " + attempt);
    }
    assertEquals(Duration.ofSeconds(60), backoff.delay(10_000));
  }

  @Test
  void delay_atTheRandomExtremes_isTwentyPercentEitherSide() {
    assertEquals(Duration.ofMillis(800), Backoff.standard(() -> 0.0).delay(1));
    assertEquals(Duration.ofMillis(48_000), Backoff.standard(() -> 0.0).delay(7));
    assertEquals(Duration.ofMillis(72_000), Backoff.standard(() -> 1.0).delay(7));
    assertEquals(Duration.ofMillis(4_400), Backoff.standard(() -> 0.75).delay(3));
  }

  @Test
  void badArguments_areRefusedWithTheirName() {
    assertEquals("attempt < 1", assertThrows(IllegalArgumentException.class,
        () -> Backoff.standard(() -> 0.5).delay(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Backoff(java.util.List.of(), 0.2, () -> 0.5));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Backoff.STEPS, 1.0, () -> 0.5));
  }
}
