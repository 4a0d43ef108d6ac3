/**
 * The facts a {@code WaClient} reports, as records of the sealed
 * {@link io.wafleet.client.event.WaEvent}. A registration connection emits
 * {@code QrCodeUpdated}… then {@code CredentialsUpdated}, {@code PairSuccess} and
 * {@code Disconnected(RESTART_REQUIRED)}; a login connection emits {@code CredentialsUpdated}
 * (LID, pre-keys) and {@code Connected}. Each connection ends with one {@code Disconnected} or
 * {@code LoggedOut} (a {@link io.wafleet.client.event.PermanentDisconnect}), or silently after
 * {@code close()}.
 */
package io.wafleet.client.event;
