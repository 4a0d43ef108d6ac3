/**
 * Not API: the messaging flows of one connection (§8, §9). {@code Messaging} routes message,
 * receipt, ack and notification stanzas to the {@code Sender} (device lists, pre-key fetch,
 * encryption, server acks, retries) and the {@code Receiver} (decryption, unacked-message store,
 * receipts once the application acknowledged). {@code MessagingState} outlives connections (it
 * belongs to the {@code WaClient}); the rest lives and dies with one connection and runs on its
 * inbound thread.
 */
package io.wafleet.client.internal.messaging;
