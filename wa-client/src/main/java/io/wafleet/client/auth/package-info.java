/**
 * Persistence seam of wa-client: {@link io.wafleet.client.auth.AuthState} (credentials + typed
 * key store) and its reference implementation {@link io.wafleet.client.auth.InMemoryAuthState}.
 * {@link io.wafleet.client.auth.Credentials#serialize()} is wafleet's versioned format
 * ({@code wa_auth.proto}); all a device needs to log in again is the credentials plus the key
 * store's blobs.
 */
package io.wafleet.client.auth;
