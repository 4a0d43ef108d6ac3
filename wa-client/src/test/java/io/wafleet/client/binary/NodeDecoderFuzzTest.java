package io.wafleet.client.binary;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds the decoder random, truncated and bit-flipped bytes. Whatever it does with them, the only
 * exception allowed out is {@link MalformedNodeException}. Seeded, so failures reproduce.
 */
class NodeDecoderFuzzTest {

  private static final int[] INTERESTING = {0x00, 0x01, 0x02, 0x56, 0xEC, 0xEF, 0xF0, 0xF5, 0xF6, 0xF7,
      0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF};

  private final Random random = new Random(0x5EED_C0DEL);

  @Test
  void decode_randomBytes_onlyThrowsMalformed() {
    for (int i = 0; i < 100_000; i++) {
      byte[] input = new byte[random.nextInt(48)];
      for (int j = 0; j < input.length; j++) {
        input[j] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : pick());
      }
      if (input.length > 0 && random.nextBoolean()) {
        input[0] = 0;
      }
      decodeExpectingOnlyMalformed(input);
    }
  }

  @Test
  void decode_truncatedValidEncodings_onlyThrowMalformed() {
    for (byte[] valid : NodeCodecRoundTripTest.sampleEncodings()) {
      int step = Math.max(1, valid.length / 500);
      for (int cut = 0; cut < valid.length; cut += step) {
        decodeExpectingOnlyMalformed(Arrays.copyOf(valid, cut));
      }
    }
  }

  @Test
  void decode_bitFlippedValidEncodings_onlyThrowMalformed() {
    List<byte[]> samples = NodeCodecRoundTripTest.sampleEncodings();
    int decoded = 0;
    for (int i = 0; i < 30_000; i++) {
      byte[] input = samples.get(random.nextInt(samples.size())).clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        int at = random.nextInt(Math.min(input.length, 512));
        input[at] ^= (byte) (1 << random.nextInt(8));
      }
      decoded += decodeExpectingOnlyMalformed(input) ? 1 : 0;
    }
    // Many flips land in byte content and still decode: proof the fuzz reaches past the header.
    assertTrue(decoded > 1_000, "only " + decoded + " mutated inputs decoded");
  }

  @Test
  void decode_corruptedCompressedFrames_onlyThrowMalformed() {
    List<byte[]> compressed = NodeCodecRoundTripTest.sampleEncodings().stream()
        .map(plain -> NodeDecoderTest.compressedFrame(plain, 1, plain.length - 1)).toList();
    for (int i = 0; i < 5_000; i++) {
      byte[] frame = compressed.get(random.nextInt(compressed.size())).clone();
      frame[1 + random.nextInt(frame.length - 1)] ^= (byte) (1 << random.nextInt(8));
      decodeExpectingOnlyMalformed(random.nextInt(4) == 0 ? Arrays.copyOf(frame, random.nextInt(frame.length)) : frame);
    }
  }

  private int pick() {
    return random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : 1 + random.nextInt(235);
  }

  /** Returns whether the input decoded; fails the test on any exception but MalformedNodeException. */
  private static boolean decodeExpectingOnlyMalformed(byte[] input) {
    try {
      NodeDecoder.decode(input);
      return true;
    } catch (MalformedNodeException expected) {
      return false;
    } catch (Throwable t) {
      fail("decoder threw " + t + " for input of " + input.length + " bytes", t);
      return false;
    }
  }
}
