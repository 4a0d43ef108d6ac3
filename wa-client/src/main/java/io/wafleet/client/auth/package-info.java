/**
 * Persistence seam of wa-client: {@link io.wafleet.client.auth.AuthState} (credentials + typed
 * key store), its reference implementation {@link io.wafleet.client.auth.InMemoryAuthState}, and
 * {@link io.wafleet.client.auth.DirectoryAuthState}, which keeps a device in a local directory
 * (storage failures: {@link io.wafleet.client.auth.AuthStorageException}).
 * {@link io.wafleet.client.auth.Credentials#serialize()} is wafleet's versioned format
 * ({@code wa_auth.proto}); all a device needs to log in again is the credentials plus the key
 * store's blobs.
 */
package io.wafleet.client.auth;
