package io.wafleet.client.internal;

import io.wafleet.client.ConnectionState;
import io.wafleet.client.event.Disconnected;
import io.wafleet.client.event.LoggedOut;
import io.wafleet.client.event.WaEvent;
import io.wafleet.client.model.DisconnectReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one connection moves and ends: its {@link ConnectionStateMachine}, the connect deadline and
 * the single exit. {@link #terminate} and {@link #closeQuietly} run the release steps registered
 * with {@link #onClose} (in order), move to CLOSED, emit the terminal event (if any) and let the
 * event executor end. Release steps and handshake steps are registered while the connection is
 * assembled, before it starts. The state is thread-safe; the rest runs on the inbound thread.
 */
final class ConnectionLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ConnectionLifecycle.class);

  private final ConnectionStateMachine state;
  private final EventSink events;
  private final List<Runnable> releaseSteps = new ArrayList<>();
  private final List<Runnable> handshakeSteps = new ArrayList<>();
  private TaskScheduler.Cancellable connectDeadline;

  ConnectionLifecycle(ConnectionStateMachine state, EventSink events) {
    this.state = state;
    this.events = events;
  }

  ConnectionStateMachine state() {
    return state;
  }

  /** Registers a release step; runs once, when the connection closes. */
  void onClose(Runnable step) {
    releaseSteps.add(step);
  }

  /** Registers a step to run when the Noise handshake has finished. */
  void onHandshakeFinished(Runnable step) {
    handshakeSteps.add(step);
  }

  /** Closes with TIMED_OUT unless {@link #connectStageDone} comes within {@code timeout}. */
  void armConnectDeadline(TaskScheduler scheduler, Duration timeout) {
    connectDeadline = scheduler.schedule(() -> terminate(DisconnectReason.TIMED_OUT,
        DisconnectReason.TIMED_OUT.code(), "connect timed out after " + timeout.toMillis()
            + " ms in state " + state.current()), timeout);
  }

  /** The server answered the login or registration: the connect deadline no longer applies. */
  void connectStageDone() {
    if (connectDeadline != null) {
      connectDeadline.cancel();
    }
  }

  /** ClientFinish is queued and the transport cipher is in place: PAIRING or LOGGING_IN. */
  void handshakeFinished(boolean registration) {
    state.moveTo(registration ? ConnectionState.PAIRING : ConnectionState.LOGGING_IN);
    handshakeSteps.forEach(Runnable::run);
  }

  /** Ends the connection and emits {@code LoggedOut} or {@code Disconnected}; the first reason wins. */
  void terminate(DisconnectReason reason, int rawCode, String detail) {
    shutdown(reason.needsNewPairing()
        ? new LoggedOut(reason, detail)
        : new Disconnected(reason, rawCode, detail));
  }

  /** Ends the connection without an event (the caller asked for it). */
  void closeQuietly() {
    shutdown(null);
  }

  private void shutdown(WaEvent last) {
    if (!state.tryMoveTo(ConnectionState.CLOSING)) {
      return;
    }
    if (last != null) {
      log.info("connection closing event={}", last);
    } else {
      log.info("connection closing by caller");
    }
    releaseSteps.forEach(Runnable::run);
    state.moveTo(ConnectionState.CLOSED);
    if (last != null) {
      events.emit(last);
    }
    events.shutdown();
  }
}
