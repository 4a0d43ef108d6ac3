package io.wafleet.client.signal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wafleet.client.proto.WaSignalProtos.SessionRecordStructure;
import io.wafleet.client.proto.WaSignalProtos.SessionStateStructure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * All Signal session state for one remote device: the current session, if any, and up to
 * {@value #MAX_ARCHIVED_STATES} archived earlier ones, most recent first, which still decrypt
 * late messages (libsignal-node session_record.js keeps 40 closed sessions). Persisted with
 * {@link #serialize()} in our own format (wa_signal.proto {@code SessionRecordStructure}, with a
 * version field). Mutable; not thread-safe.
 */
public final class SessionRecord {

  static final int MAX_ARCHIVED_STATES = 40;
  private static final int FORMAT_VERSION = 1;

  private SessionState current;
  private final List<SessionState> archived = new ArrayList<>();

  /** An empty record: no session yet. */
  public SessionRecord() {}

  /** Parses {@link #serialize()} output. */
  public SessionRecord(byte[] serialized) throws InvalidMessageException {
    SessionRecordStructure structure;
    try {
      structure = SessionRecordStructure.parseFrom(serialized);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidMessageException("malformed SessionRecord", e);
    }
    RecordFormat.checkVersion(structure.getVersion(), FORMAT_VERSION);
    if (structure.hasCurrent()) {
      current = SessionState.fromStructure(structure.getCurrent());
    }
    for (SessionStateStructure state : structure.getArchivedList()) {
      archived.add(SessionState.fromStructure(state));
    }
  }

  public byte[] serialize() {
    SessionRecordStructure.Builder builder =
        SessionRecordStructure.newBuilder().setVersion(FORMAT_VERSION);
    if (current != null) {
      builder.setCurrent(current.toStructure());
    }
    archived.forEach(state -> builder.addArchived(state.toStructure()));
    return builder.build().toByteArray();
  }

  /** True when there is a session to encrypt with. */
  public boolean hasCurrentState() {
    return current != null;
  }

  /** True while the current session still announces itself with {@code pkmsg} (§8.6). */
  public boolean hasPendingPreKey() {
    return current != null && current.pendingPreKey() != null;
  }

  /** The remote device's registration id, from the current session. */
  public OptionalInt remoteRegistrationId() {
    return current == null ? OptionalInt.empty() : OptionalInt.of(current.remoteRegistrationId());
  }

  /** The remote identity key (raw 32 bytes) of the current session. */
  public Optional<byte[]> remoteIdentityKey() {
    return current == null ? Optional.empty() : Optional.of(current.remoteIdentityKey().clone());
  }

  public int archivedStateCount() {
    return archived.size();
  }

  /**
   * Moves the current session to the archive, e.g. when the server says the peer's identity
   * changed (§10.6); the next send then needs a fresh pre-key bundle.
   */
  public void archiveCurrentState() {
    if (current != null) {
      archived.add(0, current);
      current = null;
      while (archived.size() > MAX_ARCHIVED_STATES) {
        archived.remove(archived.size() - 1);
      }
    }
  }

  SessionState currentState() {
    return current;
  }

  /** Archives the current session and makes {@code state} current. */
  void promoteState(SessionState state) {
    archiveCurrentState();
    current = state;
  }

  /** Current first, then archived, most recent first: the order decrypt tries them in. */
  List<SessionState> states() {
    List<SessionState> states = new ArrayList<>(archived.size() + 1);
    if (current != null) {
      states.add(current);
    }
    states.addAll(archived);
    return Collections.unmodifiableList(states);
  }

  /** Puts {@code updated} where {@code original} was (current or archived). */
  void replaceState(SessionState original, SessionState updated) {
    if (current == original) {
      current = updated;
      return;
    }
    int index = archived.indexOf(original);
    if (index < 0) {
      throw new IllegalStateException("state is not part of this record");
    }
    archived.set(index, updated);
  }

  /** The session a remote initiator opened with {@code baseKey}, to dedupe repeated pkmsg. */
  SessionState stateWithTheirBaseKey(byte[] baseKey) {
    for (SessionState state : states()) {
      if (state.hasTheirBaseKey(baseKey)) {
        return state;
      }
    }
    return null;
  }
}
