/**
 * Value types of the API that every layer shares: {@link io.wafleet.client.model.Jid} (with its
 * parser {@code JidSyntax}), {@link io.wafleet.client.model.MessageId} and
 * {@link io.wafleet.client.model.DisconnectReason}. Immutable and thread-safe; they depend on
 * nothing else of wa-client, so the binary, auth and event layers import them without depending
 * on the client.
 */
package io.wafleet.client.model;
