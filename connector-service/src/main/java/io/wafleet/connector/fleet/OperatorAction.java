package io.wafleet.connector.fleet;

/** What a person does about a {@link CloseReason} (docs/runbook.md, "Close reasons"). */
public enum OperatorAction {
  /** Nothing: the supervisor reconnects by itself with backoff. Act only if it persists. */
  RETRY,
  /** Pair the account again: scan the QR now on the account (or request a pairing code). */
  RE_PAIR,
  /** The supervisor stopped retrying this account; find out why before starting it again. */
  STOP_AND_INVESTIGATE
}
