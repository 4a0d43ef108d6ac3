package io.wafleet.simulator.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * What a phone sends a newly linked companion once the companion has keys (docs/protocol.md §9.6):
 * an {@code appStateSyncKeyShare} protocol message with one app-state sync key, then a
 * {@code historySyncNotification} of type {@code NO_HISTORY} (the simulated phone keeps no chat
 * history to share). Field numbers from WAProto.proto (Baileys): {@code Message.protocolMessage}
 * 12; {@code ProtocolMessage.type} 2, {@code historySyncNotification} 6, {@code
 * appStateSyncKeyShare} 7; types HISTORY_SYNC_NOTIFICATION 5 and APP_STATE_SYNC_KEY_SHARE 6.
 * Our own {@code Message} proto keeps {@code protocolMessage} as bytes, so they are written here.
 * Stateless; thread-safe.
 */
final class CompanionWelcome {

  static final int HISTORY_SYNC_NOTIFICATION = 5;
  static final int APP_STATE_SYNC_KEY_SHARE = 6;
  /** {@code HistorySyncType.NO_HISTORY}. */
  static final int NO_HISTORY = 7;
  static final int KEY_ID_LENGTH = 6;

  private CompanionWelcome() {}

  /** The two {@code Message} payloads, in the order the phone sends them. */
  static List<byte[]> messages(int companionDeviceId, Clock clock, SecureRandom random) {
    return List.of(keyShare(companionDeviceId, clock, random), historyNotification());
  }

  /**
   * {@code Message{protocolMessage{type 6, appStateSyncKeyShare{keys[{keyId{keyId}, keyData{keyData,
   * fingerprint{rawId, currentIndex, deviceIndexes}, timestamp}}]}}}}.
   */
  static byte[] keyShare(int companionDeviceId, Clock clock, SecureRandom random) {
    byte[] keyId = new byte[KEY_ID_LENGTH];
    byte[] keyData = new byte[32];
    random.nextBytes(keyId);
    random.nextBytes(keyData);
    byte[] fingerprint = write(out -> {
      out.writeUInt32(1, random.nextInt() >>> 1);
      out.writeUInt32(2, 0);
      byte[] indexes = write(packed -> {
        packed.writeUInt32NoTag(0);
        packed.writeUInt32NoTag(companionDeviceId);
      });
      out.writeByteArray(3, indexes);
    });
    byte[] data = write(out -> {
      out.writeByteArray(1, keyData);
      out.writeByteArray(2, fingerprint);
      out.writeInt64(3, clock.millis());
    });
    byte[] key = write(out -> {
      out.writeByteArray(1, write(id -> id.writeByteArray(1, keyId)));
      out.writeByteArray(2, data);
    });
    byte[] share = write(out -> out.writeByteArray(1, key));
    return message(write(out -> {
      out.writeEnum(2, APP_STATE_SYNC_KEY_SHARE);
      out.writeByteArray(7, share);
    }));
  }

  /** {@code Message{protocolMessage{type 5, historySyncNotification{syncType 7, chunkOrder 0, progress 100}}}}. */
  static byte[] historyNotification() {
    byte[] notification = write(out -> {
      out.writeEnum(6, NO_HISTORY);
      out.writeUInt32(7, 0);
      out.writeUInt32(9, 100);
    });
    return message(write(out -> {
      out.writeEnum(2, HISTORY_SYNC_NOTIFICATION);
      out.writeByteArray(6, notification);
    }));
  }

  private static byte[] message(byte[] protocolMessage) {
    return write(out -> out.writeBytes(12, ByteString.copyFrom(protocolMessage)));
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] write(Writer writer) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      writer.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
