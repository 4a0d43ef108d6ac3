package io.wafleet.client.signal;

/** Session records by remote device. Implementations must be thread-safe. */
public interface SignalSessionStore {

  /**
   * A copy of the stored record, which the caller may change freely, or a new empty record when
   * none is stored. Storage failures throw; they never read as "no session".
   */
  SessionRecord loadSession(SignalAddress address);

  /** Stores (a snapshot of) {@code record}. */
  void storeSession(SignalAddress address, SessionRecord record);

  /** True when a record with a current session state is stored for {@code address}. */
  boolean containsSession(SignalAddress address);

  void deleteSession(SignalAddress address);
}
