package io.wafleet.connector.fleet;

import io.wafleet.client.WaClient;
import io.wafleet.client.WaListener;
import io.wafleet.client.auth.AuthState;

/**
 * Builds the {@link WaClient} of one connection attempt: where the WhatsApp endpoint is, how its
 * certificate is checked, which shared okhttp client and timers it uses. The supervisor builds one
 * client per attempt so events of an abandoned attempt can be told apart and ignored.
 */
@FunctionalInterface
public interface ClientFactory {

  WaClient create(AuthState authState, WaListener listener);
}
