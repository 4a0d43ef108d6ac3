package io.wafleet.client.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaddingTest {

  @Test
  void pad_manyRuns_appendsOneToSixteenBytesEqualToLength() throws Exception {
    Random random = new Random(1);
    byte[] plaintext = {1, 2, 3};
    Set<Integer> lengths = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      byte[] padded = Padding.pad(plaintext, random);
      int length = padded.length - plaintext.length;
      assertTrue(length >= 1 && length <= 16, "length " + length);
      for (int j = plaintext.length; j < padded.length; j++) {
        assertEquals(length, padded[j]);
      }
      assertArrayEquals(plaintext, Padding.unpad(padded));
      lengths.add(length);
    }
    assertEquals(16, lengths.size());
  }

  @Test
  void unpad_lastByteZero_throwsInvalidMessage() {
    assertThrows(InvalidMessageException.class, () -> Padding.unpad(new byte[] {5, 0}));
  }

  @Test
  void unpad_lastByteAboveSixteen_throwsInvalidMessage() {
    byte[] padded = new byte[40];
    padded[39] = 17;
    assertThrows(InvalidMessageException.class, () -> Padding.unpad(padded));
  }

  @Test
  void unpad_lengthLongerThanInput_throwsInvalidMessage() {
    assertThrows(InvalidMessageException.class, () -> Padding.unpad(new byte[] {3, 3}));
  }

  @Test
  void unpad_empty_throwsInvalidMessage() {
    assertThrows(InvalidMessageException.class, () -> Padding.unpad(new byte[0]));
  }

  @Test
  void unpad_wholeInputIsPadding_returnsEmpty() throws Exception {
    assertArrayEquals(new byte[0], Padding.unpad(new byte[] {2, 2}));
  }
}
