package io.wafleet.client.signal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.proto.WaSignalProtos;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one device knows of one sender's key in one group (docs/protocol.md §10.4): for a
 * received sender, one state per distribution message processed, at most {@value #MAX_STATES}
 * (oldest dropped); for our own sending key, exactly one state with the private signing key.
 *
 * <p>Stored under {@code SignalKeyStore.SENDER_KEY} as {@link #serialize()} gives it. Not
 * thread-safe: callers confine a record to one thread (the connection's inbound thread).
 */
public final class SenderKeyRecord {

  static final int MAX_STATES = 5;
  static final int FORMAT_VERSION = 1;

  private final List<SenderKeyState> states = new ArrayList<>();

  public boolean isEmpty() {
    return states.isEmpty();
  }

  /** The newest state (the one a sender encrypts with). */
  Optional<SenderKeyState> latest() {
    return states.isEmpty() ? Optional.empty() : Optional.of(states.get(states.size() - 1));
  }

  /** The state with that key id, the newest if several. */
  Optional<SenderKeyState> state(int keyId) {
    for (int i = states.size() - 1; i >= 0; i--) {
      if (states.get(i).keyId() == keyId) {
        return Optional.of(states.get(i));
      }
    }
    return Optional.empty();
  }

  void add(SenderKeyState state) {
    states.add(state);
    if (states.size() > MAX_STATES) {
      states.remove(0);
    }
  }

  /** Replaces every state by {@code state} (our own new sending key). */
  void replace(SenderKeyState state) {
    states.clear();
    states.add(state);
  }

  int size() {
    return states.size();
  }

  /** The stored form ({@code SenderKeyRecordStructure} in wa_signal.proto, version {@value #FORMAT_VERSION}). */
  public byte[] serialize() {
    WaSignalProtos.SenderKeyRecordStructure.Builder b = WaSignalProtos.SenderKeyRecordStructure
        .newBuilder().setVersion(FORMAT_VERSION);
    states.forEach(state -> b.addStates(state.toStructure()));
    return b.build().toByteArray();
  }

  /**
   * Reads a stored record.
   *
   * @throws InvalidMessageException if it is not a version-{@value #FORMAT_VERSION} record with
   *     well-formed states
   */
  public static SenderKeyRecord parse(byte[] stored) throws InvalidMessageException {
    try {
      WaSignalProtos.SenderKeyRecordStructure structure =
          WaSignalProtos.SenderKeyRecordStructure.parseFrom(stored);
      RecordFormat.checkVersion(structure.getVersion(), FORMAT_VERSION);
      if (structure.getStatesCount() > MAX_STATES) {
        throw new InvalidMessageException("more than " + MAX_STATES + " sender key states");
      }
      SenderKeyRecord record = new SenderKeyRecord();
      for (WaSignalProtos.SenderKeyStateStructure state : structure.getStatesList()) {
        record.add(SenderKeyState.fromStructure(state));
      }
      return record;
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("sender key record is not a protobuf", e);
    }
  }
}
