package io.wafleet.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.crypto.Hex;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  private static final List<byte[]> PAYLOADS = List.of(
      new byte[] {1}, bytes(300, 7), bytes(70_000, 9), new byte[] {2, 3}, bytes(5, 1));

  @Test
  void writer_client_writesIntroOnlyOnce() {
    FrameWriter writer = FrameWriter.client();

    assertEquals("57410603" + "000002" + "0a0b", Hex.encode(writer.frame(new byte[] {10, 11})));
    assertEquals("000001" + "0c", Hex.encode(writer.frame(new byte[] {12})));
  }

  @Test
  void writer_clientWithRoutingInfo_writesEdIntro() {
    FrameWriter writer = FrameWriter.client(new byte[] {(byte) 0xAA, (byte) 0xBB});

    assertEquals("45440001" + "000002" + "aabb" + "57410603" + "000001" + "01",
        Hex.encode(writer.frame(new byte[] {1})));
  }

  @Test
  void writer_server_writesNoIntro() {
    assertEquals("00000101", Hex.encode(FrameWriter.server().frame(new byte[] {1})));
  }

  @Test
  void writer_emptyPayload_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> FrameWriter.server().frame(new byte[0]));
  }

  @Test
  void reader_serverOneByteAtATime_returnsSameFrames() throws Exception {
    byte[] stream = clientStream(FrameWriter.client());
    FrameReader reader = FrameReader.server();
    List<byte[]> frames = new ArrayList<>();
    for (byte b : stream) {
      frames.addAll(reader.feed(new byte[] {b}));
    }
    assertFrames(frames);
    assertEquals(0, reader.buffered());
  }

  @Test
  void reader_serverRandomChunks_returnsSameFrames() throws Exception {
    byte[] stream = clientStream(FrameWriter.client());
    Random random = new Random(42);
    for (int round = 0; round < 50; round++) {
      FrameReader reader = FrameReader.server();
      List<byte[]> frames = new ArrayList<>();
      int at = 0;
      while (at < stream.length) {
        int size = Math.min(stream.length - at, 1 + random.nextInt(random.nextBoolean() ? 8 : 40_000));
        frames.addAll(reader.feed(Arrays.copyOfRange(stream, at, at + size)));
        at += size;
      }
      assertFrames(frames);
    }
  }

  @Test
  void reader_clientSeveralFramesInOneChunk_returnsAll() throws Exception {
    FrameWriter writer = FrameWriter.server();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PAYLOADS.forEach(p -> out.writeBytes(writer.frame(p)));

    assertFrames(FrameReader.client().feed(out.toByteArray()));
  }

  @Test
  void reader_serverEdIntro_stripsItAndKeepsRoutingInfo() throws Exception {
    byte[] stream = clientStream(FrameWriter.client(new byte[] {5, 6, 7}));
    FrameReader reader = FrameReader.server();
    List<byte[]> frames = new ArrayList<>();
    for (int at = 0; at < stream.length; at += 2) {
      frames.addAll(reader.feed(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + 2))));
    }
    assertFrames(frames);
    assertArrayEquals(new byte[] {5, 6, 7}, reader.routingInfo().orElseThrow());
  }

  @Test
  void reader_serverWrongIntro_throwsFrameException() throws Exception {
    for (String intro : List.of("57410503", "57410602", "00000401", "4544000100000101" + "57410503")) {
      FrameReader reader = FrameReader.server();
      assertThrows(FrameException.class, () -> reader.feed(Hex.decode(intro + "00000101")), intro);
      assertThrows(IllegalStateException.class, () -> reader.feed(new byte[1]));
    }
  }

  @Test
  void reader_serverOfTwoDictionaries_reportsTheVersionOfEitherIntroForm() throws Exception {
    for (String intro : List.of("57410602", "45440001" + "000001" + "aa" + "57410602")) {
      FrameReader reader = FrameReader.server(1024, Set.of(2, 3));
      assertTrue(reader.dictionaryVersion().isEmpty());

      List<byte[]> frames = reader.feed(Hex.decode(intro + "00000101"));

      assertEquals(1, frames.size(), intro);
      assertEquals(2, reader.dictionaryVersion().getAsInt(), intro);
    }
    FrameReader standard = FrameReader.server();
    standard.feed(Hex.decode("57410603"));
    assertEquals(3, standard.dictionaryVersion().getAsInt());
  }

  @Test
  void reader_serverUnsupportedDictionary_throwsWithTheVersion() {
    FrameReader reader = FrameReader.server(1024, Set.of(2, 3));

    UnsupportedDictionaryException e = assertThrows(UnsupportedDictionaryException.class,
        () -> reader.feed(Hex.decode("57410607" + "00000101")));

    assertEquals(7, e.version());
    assertEquals("intro header names dictionary version 7; served: [2, 3]", e.getMessage());
    assertTrue(reader.dictionaryVersion().isEmpty());
    assertThrows(IllegalStateException.class, () -> reader.feed(new byte[1]));
  }

  @Test
  void reader_clientIntroFromServer_isNotStripped() throws Exception {
    List<byte[]> frames = FrameReader.client().feed(Hex.decode("0000025741"));

    assertArrayEquals(new byte[] {0x57, 0x41}, frames.get(0));
  }

  @Test
  void reader_oversizeFrame_throwsFrameTooLargeBeforeBuffering() throws Exception {
    FrameReader reader = FrameReader.client(1024);
    assertEquals(1, reader.feed(Hex.decode("000400" + "00".repeat(1024))).size());

    FrameTooLargeException e =
        assertThrows(FrameTooLargeException.class, () -> reader.feed(Hex.decode("000401")));
    assertEquals(1025, e.length());
    assertEquals(1024, e.maxLength());
  }

  @Test
  void reader_defaultLimit_rejectsAbove8MiB() {
    byte[] header = {(byte) 0x80, 0, 1};

    assertThrows(FrameTooLargeException.class, () -> FrameReader.client().feed(header));
  }

  @Test
  void reader_zeroLengthFrame_throwsFrameException() {
    FrameException e = assertThrows(FrameException.class,
        () -> FrameReader.client().feed(Hex.decode("000000")));
    assertTrue(e.getMessage().contains("zero-length"));
  }

  private static byte[] clientStream(FrameWriter writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PAYLOADS.forEach(p -> out.writeBytes(writer.frame(p)));
    return out.toByteArray();
  }

  private static void assertFrames(List<byte[]> frames) {
    assertEquals(PAYLOADS.size(), frames.size());
    for (int i = 0; i < PAYLOADS.size(); i++) {
      assertArrayEquals(PAYLOADS.get(i), frames.get(i), "frame " + i);
    }
  }

  private static byte[] bytes(int length, int seed) {
    byte[] out = new byte[length];
    new Random(seed).nextBytes(out);
    return out;
  }
}
