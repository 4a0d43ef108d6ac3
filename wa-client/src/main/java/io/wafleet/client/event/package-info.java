/**
 * The facts a {@code WaClient} reports, as records of the sealed
 * {@link io.wafleet.client.event.WaEvent}. A registration connection emits
 * {@code QrCodeUpdated}… then {@code CredentialsUpdated}, {@code PairSuccess} and
 * {@code Disconnected(RESTART_REQUIRED)} — the same after a pairing code
 * ({@code WaClient.requestPairingCode}) was entered on the phone, with {@code PairingCodeFailed}
 * for a wrong code, too many attempts, an expired registration or a malformed server message
 * (§6.7); a login connection emits {@code CredentialsUpdated}
 * (LID, pre-keys) and {@code Connected}. Each connection ends with one {@code Disconnected} or
 * {@code LoggedOut} (a {@link io.wafleet.client.event.PermanentDisconnect}), or silently after
 * {@code close()}.
 *
 * <p>Messaging (§8, §9): {@code MessageReceived} for each decrypted message, in arrival order
 * (acknowledge it with {@code WaClient.acknowledge} after storing it — only then does the sender
 * get its receipt); {@code DuplicateMessage} for a redelivery; {@code DecryptionFailed} for a
 * message that did not decrypt (a retry receipt already went out); {@code ReceiptReceived} for
 * receipts on our own messages.
 */
package io.wafleet.client.event;
