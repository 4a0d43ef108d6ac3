package io.wafleet.client.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * One file of a {@link DirectoryAuthState}: reads and writes a blob framed so that a damaged file is
 * detected, and replaces it atomically so that a crash never leaves a torn one.
 *
 * <p>Layout: magic {@code "WAFA"}, format version (1 byte, = 1), payload length (int32 big-endian),
 * payload, CRC-32 of the payload (int32 big-endian).
 *
 * <p>A write goes to a fresh temporary file in the same directory ({@code .<name>.<random>.tmp}),
 * is forced to disk, then moved over the target with an atomic rename; readers therefore see the
 * old file or the new one, never a mix. A crash can leave a temporary file behind; it is never read.
 */
final class AuthFile {

  private static final byte[] MAGIC = {'W', 'A', 'F', 'A'};
  private static final byte VERSION = 1;
  private static final int HEADER = MAGIC.length + 1 + Integer.BYTES;
  private static final int OVERHEAD = HEADER + Integer.BYTES;

  private AuthFile() {
  }

  /** The payload of {@code file}, or empty when the file does not exist. */
  static Optional<byte[]> read(Path file) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new AuthStorageException(file, "cannot read: " + e, e);
    }
    return Optional.of(decode(file, raw));
  }

  /** Replaces {@code file} with one holding {@code payload}, atomically. */
  static void write(Path file, byte[] payload) {
    Path temporary = null;
    try {
      temporary = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(encode(payload));
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      temporary = null;
    } catch (AtomicMoveNotSupportedException e) {
      throw new AuthStorageException(file, "the file system cannot replace files atomically", e);
    } catch (IOException e) {
      throw new AuthStorageException(file, "cannot write: " + e, e);
    } finally {
      deleteQuietly(temporary);
    }
  }

  /** Removes {@code file}; absent is fine. */
  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new AuthStorageException(file, "cannot delete: " + e, e);
    }
  }

  static byte[] encode(byte[] payload) {
    ByteBuffer out = ByteBuffer.allocate(OVERHEAD + payload.length);
    out.put(MAGIC).put(VERSION).putInt(payload.length).put(payload).putInt((int) crc(payload));
    return out.array();
  }

  static byte[] decode(Path file, byte[] raw) {
    if (raw.length < OVERHEAD || !Arrays.equals(raw, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new CorruptAuthFileException(file, "not an auth file (" + raw.length + " bytes, no header)");
    }
    ByteBuffer in = ByteBuffer.wrap(raw, MAGIC.length, raw.length - MAGIC.length);
    byte version = in.get();
    if (version != VERSION) {
      throw new CorruptAuthFileException(file, "unknown format version " + version);
    }
    int length = in.getInt();
    if (length != raw.length - OVERHEAD) {
      throw new CorruptAuthFileException(file, "truncated or padded: header says " + length
          + " payload bytes, file holds " + (raw.length - OVERHEAD));
    }
    byte[] payload = new byte[length];
    in.get(payload);
    if (in.getInt() != (int) crc(payload)) {
      throw new CorruptAuthFileException(file, "checksum mismatch");
    }
    return payload;
  }

  private static long crc(byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(payload);
    return crc.getValue();
  }

  private static void deleteQuietly(Path temporary) {
    if (temporary == null) {
      return;
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // The write already failed and that failure is what the caller sees; a leftover temporary
      // file is never read.
    }
  }
}
