package io.wafleet.client;

/** Why pairing by code (docs/protocol.md §6.7) failed; carried by its exception and event. */
public enum PairingCodeError {
  /** The phone number is malformed, or the server refused it (no such WhatsApp account). */
  INVALID_PHONE_NUMBER,
  /**
   * The phone entered a code that is not this one: the phone could not open our key bundle. The
   * code stays valid; the phone may try again.
   */
  WRONG_CODE,
  /** The phone entered wrong codes too often; this code is dead. Request a new one. */
  TOO_MANY_ATTEMPTS,
  /** The registration ran out of time (its QR refs ended, §6.3) before the phone entered the code. */
  EXPIRED,
  /** The server's pairing notification or reply was malformed (missing parts, wrong lengths). */
  BAD_SERVER_MESSAGE,
  /** The server refused a step for another reason (its error code is in the detail). */
  REJECTED
}
