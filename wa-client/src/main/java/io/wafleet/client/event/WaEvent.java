package io.wafleet.client.event;

/**
 * Everything a {@code WaClient} tells its listener, as facts. Each connection ends with exactly
 * one terminal event: {@link Disconnected} or {@link LoggedOut} — except after the caller's own
 * {@code close()}, which is quiet. Dispatch with {@code instanceof} patterns.
 */
public sealed interface WaEvent
    permits QrCodeUpdated, PairSuccess, Connected, Disconnected, LoggedOut, CredentialsUpdated,
        KeepAliveTimeout, MessageReceived, ReceiptReceived, DecryptionFailed, DuplicateMessage,
        PairingCodeFailed {
}
