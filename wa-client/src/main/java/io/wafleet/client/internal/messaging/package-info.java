/**
 * Not API: the messaging flows of one connection (§8, §9). {@code Messaging} routes message,
 * receipt, ack and notification stanzas to the {@code Sender} (device lists, pre-key fetch,
 * encryption, server acks, retries) and the {@code Receiver} (decryption, unacked-message store,
 * receipts once the application acknowledged); groups (§10.4, §10.7) go through the
 * {@code GroupSender} (metadata, sender key and sender-key memory in {@code SenderKeys}, re-key
 * after a removal) and the {@code GroupReceiver} (key carriers, {@code skmsg}), with the stanzas in
 * {@code GroupStanzas}. {@code MessagingState} outlives connections (it
 * belongs to the {@code WaClient}); the rest lives and dies with one connection and runs on its
 * inbound thread.
 */
package io.wafleet.client.internal.messaging;
