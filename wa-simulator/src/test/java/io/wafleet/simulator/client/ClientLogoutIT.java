package io.wafleet.simulator.client;

import static io.wafleet.simulator.client.ClientSupport.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.NotConnectedException;
import io.wafleet.client.WaClient;
import io.wafleet.client.auth.InMemoryAuthState;
import io.wafleet.client.event.LoggedOut;
import io.wafleet.client.event.PairSuccess;
import io.wafleet.client.event.PermanentDisconnect;
import io.wafleet.client.model.DisconnectReason;
import io.wafleet.simulator.WaSimulator;
import io.wafleet.simulator.admin.SimulatorAdminClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unlinked devices get LoggedOut, and their next login is refused. */
class ClientLogoutIT {

  private WaSimulator sim;
  private SimulatorAdminClient admin;
  private InMemoryAuthState auth;
  private EventRecorder events;
  private WaClient client;
  private PairSuccess paired;

  @BeforeEach
  void pairAndOpen() throws Exception {
    sim = ClientSupport.startSimulator();
    admin = new SimulatorAdminClient(sim.adminUri());
    admin.createPhone("40700000003");
    auth = InMemoryAuthState.create();
    events = new EventRecorder();
    client = ClientSupport.client(auth, sim, events).build();
    paired = ClientSupport.pair(client, events, admin, "40700000003");
    ClientSupport.connectUntilOpen(client, events, 1);
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    sim.close();
    ClientSupport.assertNoClientThreads();
  }

  @Test
  void unlinkedByPhone_emitsLoggedOut_andReloginIsRefused() throws Exception {
    assertEquals(1, admin.logout(paired.deviceJid().toString()), "the client's live socket closed");
    LoggedOut out = events.await(LoggedOut.class, WAIT);
    assertEquals(DisconnectReason.LOGGED_OUT, out.reason());
    assertTrue(out instanceof PermanentDisconnect);
    assertTrue(out.detail().contains("401"), out.detail());

    client.connect();
    LoggedOut refused = events.await(LoggedOut.class, WAIT);
    assertEquals(DisconnectReason.LOGGED_OUT, refused.reason());
    assertTrue(refused.detail().contains("failure"), refused.detail());
    events.assertNoMoreEvents(Duration.ofMillis(200));
  }

  @Test
  void logoutByCaller_emitsLoggedOut_andReloginIsRefused() throws Exception {
    client.logout();
    LoggedOut out = events.await(LoggedOut.class, WAIT);
    assertEquals(DisconnectReason.LOGGED_OUT, out.reason());

    assertThrows(NotConnectedException.class, client::logout);
    client.connect();
    events.await(LoggedOut.class, WAIT);
  }
}
