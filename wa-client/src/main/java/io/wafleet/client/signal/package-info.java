/**
 * WhatsApp's flavour of the Signal protocol session layer: libsignal v3 wire format (version
 * byte {@code 0x33}), X3DH without Kyber and the double ratchet, as libsignal-node 6.0.0 (used by
 * Baileys) implements them (docs/protocol.md §10).
 *
 * <p>Entry points: {@link io.wafleet.client.signal.SessionBuilder} starts a session from a
 * {@link io.wafleet.client.signal.PreKeyBundle}; {@link io.wafleet.client.signal.SessionCipher}
 * encrypts ({@code pkmsg}/{@code msg}) and decrypts. State lives behind the small store interfaces
 * ({@link io.wafleet.client.signal.SignalProtocolStore}) as {@code *Record} objects with a
 * {@code byte[]} form, so that the client's AuthState can persist them anywhere.
 *
 * <p>Group messages ({@code skmsg}, §10.4) are outside this package for now. They will get their own types
 * beside these ({@code SenderKeyRecord}, {@code SenderKeyStore} keyed by (group, author),
 * {@code GroupCipher}, {@code GroupSessionBuilder} for SenderKeyDistributionMessage) and reuse
 * {@link io.wafleet.client.signal.Padding} and the exceptions of this package.
 *
 * <p>This package is public only for wa-simulator's reuse (CONTRIBUTING.md, "Code layout").
 */
package io.wafleet.client.signal;
