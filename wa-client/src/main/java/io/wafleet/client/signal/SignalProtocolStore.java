package io.wafleet.client.signal;

/**
 * Everything the 1:1 session layer reads and writes. Implementations must be thread-safe;
 * {@link SessionCipher} and {@link SessionBuilder} do several calls per operation, so callers
 * serialize operations per address (one inbound thread per account, see CONTRIBUTING.md).
 */
public interface SignalProtocolStore
    extends IdentityKeyStore, PreKeyStore, SignedPreKeyStore, SignalSessionStore {}
