package io.wafleet.client.transport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Splits an inbound byte stream into frames (§1.3). WebSocket messages may carry several frames or
 * part of one; {@link #feed} buffers what is incomplete. A server reader first strips and checks
 * the client's intro, plain or routing-info form (§1.2), and learns from it the token dictionary
 * version the client speaks; a client reader expects none.
 *
 * <p>Not thread-safe: one reader thread per connection. After an exception the reader is broken
 * and every later call throws {@link IllegalStateException}.
 */
public final class FrameReader {

  private enum State { EXPECT_INTRO, FRAMES, BROKEN }

  private static final int HEADER = TransportProtocol.FRAME_LENGTH_BYTES;
  private static final int INITIAL_CAPACITY = 256;
  private static final int SHRINK_ABOVE = 64 * 1024;

  private static final int INTRO_MAGIC_LENGTH = 3;

  private final int maxFrameLength;
  private final Set<Integer> dictionaryVersions;
  private byte[] buffer = new byte[INITIAL_CAPACITY];
  private int start;
  private int end;
  private State state;
  private byte[] routingInfo;
  private int dictionaryVersion = -1;

  private FrameReader(boolean expectIntro, int maxFrameLength, Set<Integer> dictionaryVersions) {
    if (maxFrameLength < 1 || maxFrameLength > TransportProtocol.MAX_FRAME_LENGTH) {
      throw new IllegalArgumentException("maxFrameLength out of range: " + maxFrameLength);
    }
    if (expectIntro && dictionaryVersions.isEmpty()) {
      throw new IllegalArgumentException("a server reader needs at least one dictionary version");
    }
    this.maxFrameLength = maxFrameLength;
    this.dictionaryVersions = Set.copyOf(dictionaryVersions);
    this.state = expectIntro ? State.EXPECT_INTRO : State.FRAMES;
  }

  /** Reads server→client frames, default limit {@link TransportProtocol#DEFAULT_MAX_FRAME_LENGTH}. */
  public static FrameReader client() {
    return client(TransportProtocol.DEFAULT_MAX_FRAME_LENGTH);
  }

  public static FrameReader client(int maxFrameLength) {
    return new FrameReader(false, maxFrameLength, Set.of());
  }

  /** Reads client→server frames after the intro {@code 57 41 06 03}, default limit 8 MiB. */
  public static FrameReader server() {
    return server(TransportProtocol.DEFAULT_MAX_FRAME_LENGTH);
  }

  /** Reads client→server frames after the intro {@code 57 41 06 03}. */
  public static FrameReader server(int maxFrameLength) {
    return server(maxFrameLength, Set.of((int) TransportProtocol.DICT_VERSION));
  }

  /**
   * Reads client→server frames after an intro {@code 57 41 06 vv} whose dictionary version
   * {@code vv} is one of {@code dictionaryVersions} (§1.2); {@link #dictionaryVersion()} then tells
   * which one the client sent.
   */
  public static FrameReader server(int maxFrameLength, Set<Integer> dictionaryVersions) {
    return new FrameReader(true, maxFrameLength, Objects.requireNonNull(dictionaryVersions));
  }

  /**
   * Appends a chunk and returns every frame it completed, in order (possibly none).
   *
   * @throws FrameTooLargeException if a header announces more than the limit
   * @throws UnsupportedDictionaryException if the intro names a dictionary version not accepted
   * @throws FrameException on any other bad intro or a zero-length frame
   */
  public List<byte[]> feed(byte[] chunk) throws FrameException {
    if (state == State.BROKEN) {
      throw new IllegalStateException("reader failed earlier");
    }
    append(Objects.requireNonNull(chunk, "chunk == null"));
    try {
      List<byte[]> frames = new ArrayList<>();
      if (state == State.EXPECT_INTRO && !readIntro()) {
        return frames;
      }
      byte[] frame;
      while ((frame = nextFrame()) != null) {
        frames.add(frame);
      }
      compactIfDrained();
      return frames;
    } catch (FrameException e) {
      state = State.BROKEN;
      throw e;
    }
  }

  /** The routing info of an {@code ED} intro (§1.2), once a server reader has read it. */
  public Optional<byte[]> routingInfo() {
    return Optional.ofNullable(routingInfo).map(byte[]::clone);
  }

  /**
   * The token dictionary version of the intro (its last byte, §1.2), once a server reader has read
   * it; empty before that and for a client reader.
   */
  public OptionalInt dictionaryVersion() {
    return dictionaryVersion < 0 ? OptionalInt.empty() : OptionalInt.of(dictionaryVersion);
  }

  /** Bytes received but not yet returned as a frame. */
  public int buffered() {
    return end - start;
  }

  private boolean readIntro() throws FrameException {
    byte[] wa = TransportProtocol.introHeader();
    byte[] ed = TransportProtocol.routingPrefix();
    if (buffered() < wa.length) {
      return false;
    }
    int introLength = wa.length;
    if (startsWith(start, ed)) {
      if (buffered() < ed.length + HEADER) {
        return false;
      }
      int routingLength = length(start + ed.length);
      if (routingLength > maxFrameLength) {
        throw new FrameTooLargeException(routingLength, maxFrameLength);
      }
      introLength = ed.length + HEADER + routingLength + wa.length;
      if (buffered() < introLength) {
        return false;
      }
      int routingStart = start + ed.length + HEADER;
      routingInfo = Arrays.copyOfRange(buffer, routingStart, routingStart + routingLength);
    }
    int waStart = start + introLength - wa.length;
    if (!startsWith(waStart, Arrays.copyOf(wa, INTRO_MAGIC_LENGTH))) {
      throw new FrameException("bad intro header: expected 57 41 06 and a dictionary version (§1.2)");
    }
    int version = buffer[waStart + INTRO_MAGIC_LENGTH] & 0xFF;
    if (!dictionaryVersions.contains(version)) {
      throw new UnsupportedDictionaryException(version, new TreeSet<>(dictionaryVersions));
    }
    dictionaryVersion = version;
    start += introLength;
    state = State.FRAMES;
    return true;
  }

  private byte[] nextFrame() throws FrameException {
    if (buffered() < HEADER) {
      return null;
    }
    int length = length(start);
    if (length == 0) {
      throw new FrameException("zero-length frame (§1.3)");
    }
    if (length > maxFrameLength) {
      throw new FrameTooLargeException(length, maxFrameLength);
    }
    if (buffered() < HEADER + length) {
      return null;
    }
    byte[] frame = Arrays.copyOfRange(buffer, start + HEADER, start + HEADER + length);
    start += HEADER + length;
    return frame;
  }

  private int length(int at) {
    return (buffer[at] & 0xFF) << 16 | (buffer[at + 1] & 0xFF) << 8 | buffer[at + 2] & 0xFF;
  }

  private boolean startsWith(int at, byte[] prefix) {
    return Arrays.equals(buffer, at, at + prefix.length, prefix, 0, prefix.length);
  }

  private void append(byte[] chunk) {
    int pending = buffered();
    if (end + chunk.length > buffer.length) {
      byte[] target = pending + chunk.length > buffer.length
          ? new byte[Math.max(buffer.length * 2, pending + chunk.length)]
          : buffer;
      System.arraycopy(buffer, start, target, 0, pending);
      buffer = target;
      start = 0;
      end = pending;
    }
    System.arraycopy(chunk, 0, buffer, end, chunk.length);
    end += chunk.length;
  }

  /** Lets a buffer grown for one large frame go once it is drained. */
  private void compactIfDrained() {
    if (start == end) {
      start = 0;
      end = 0;
      if (buffer.length > SHRINK_ABOVE) {
        buffer = new byte[INITIAL_CAPACITY];
      }
    }
  }
}
