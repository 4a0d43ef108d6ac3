package io.wafleet.client;

/** Why pairing by code (docs/protocol.md §6.7) failed; carried by its exception and event. */
public enum PairingCodeError {
  /**
   * The phone number is malformed, or the server refused the request with 400 bad-request (a
   * number it will not link, a malformed request, or too many codes for that number).
   */
  INVALID_PHONE_NUMBER,
  /**
   * The phone entered a code that is not this one. The server does not say so: the phone simply
   * cannot open our key bundle, so no pair-success comes. Reported when the phone enters a code
   * again or when {@code pairingCodeConfirmTimeout} passes without pair-success. The code stays
   * valid; the phone may try again (three entries in all).
   */
  WRONG_CODE,
  /**
   * Too many attempts: the server refused more codes for now (429 rate-overlimit), or the phone
   * entered this code three times without success. Request a new code later.
   */
  TOO_MANY_ATTEMPTS,
  /** The registration ran out of time (its QR refs ended, §6.3) before the phone entered the code. */
  EXPIRED,
  /** The server's pairing notification or reply was malformed (missing parts, wrong lengths). */
  BAD_SERVER_MESSAGE,
  /** The server refused a step for another reason (its error code is in the detail). */
  REJECTED
}
