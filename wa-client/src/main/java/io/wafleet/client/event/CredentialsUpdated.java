package io.wafleet.client.event;

import io.wafleet.client.auth.Credentials;
import java.util.Objects;

/**
 * The client stored changed credentials in its {@code AuthState} (after pairing, a new LID, a
 * pre-key upload, new routing info). A persistent auth state has already saved them; the event
 * lets the caller flush or audit.
 *
 * @param credentials the credentials now stored
 */
public record CredentialsUpdated(Credentials credentials) implements WaEvent {

  public CredentialsUpdated {
    Objects.requireNonNull(credentials, "credentials == null");
  }
}
