package io.wafleet.client;

import io.wafleet.client.auth.Credentials;
import io.wafleet.client.auth.SignalKeyStore;
import io.wafleet.client.binary.Node;
import io.wafleet.client.event.WaEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * What the protocol flows ({@link Pairing}, {@link Login}, {@link KeepAlive},
 * {@link PreKeyUploader}) may do with their connection. All methods are meant for the inbound
 * thread, where the flows run.
 */
interface ConnectionContext {

  ClientConfig config();

  StateMachine state();

  Credentials credentials();

  /** Stores changed credentials in the auth state and emits {@code CredentialsUpdated}. */
  void updateCredentials(Credentials credentials);

  SignalKeyStore keys();

  /** The auth state itself, for the Signal stores over it. */
  io.wafleet.client.auth.AuthState authState();

  void send(Node node);

  /** Sends an iq with a fresh id and waits for the reply, at most {@code timeout}. */
  CompletableFuture<Node> query(Node iq, Duration timeout);

  void emit(WaEvent event);

  TaskScheduler scheduler();

  /** When the last frame arrived (or the connection started). */
  Instant lastReceived();

  /** The server answered the login or registration: the connect timeout no longer applies. */
  void connectStageDone();

  /** Ends the connection and emits the terminal event; the first reason wins. */
  void terminate(DisconnectReason reason, int rawCode, String detail);
}
