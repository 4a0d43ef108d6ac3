package io.wafleet.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NoiseHandshakeOrderTest {

  @Test
  void initiator_readServerHelloBeforeClientHello_throwsIllegalState() throws Exception {
    HandshakePair pair = new HandshakePair();
    byte[] serverHello = new HandshakePair().upToServerHello();

    assertThrows(IllegalStateException.class, () -> pair.client.readServerHello(serverHello));
    assertEquals(NoiseHandshake.Step.CLIENT_HELLO, pair.client.step());
  }

  @Test
  void initiator_responderCallsOrEarlySplit_throwIllegalState() {
    HandshakePair pair = new HandshakePair();

    assertThrows(IllegalStateException.class, () -> pair.client.readClientHello(new byte[0]));
    assertThrows(IllegalStateException.class, () -> pair.client.writeServerHello(new byte[1]));
    assertThrows(IllegalStateException.class, () -> pair.client.writeClientFinish(new byte[1]));
    assertThrows(IllegalStateException.class, pair.client::split);
  }

  @Test
  void responder_initiatorCallsOrOutOfOrder_throwIllegalState() throws Exception {
    HandshakePair pair = new HandshakePair();

    assertThrows(IllegalStateException.class, pair.server::writeClientHello);
    assertThrows(IllegalStateException.class, () -> pair.server.writeServerHello(new byte[1]));
    assertThrows(IllegalStateException.class, () -> pair.server.readClientFinish(new byte[1]));
    pair.server.readClientHello(pair.client.writeClientHello());
    assertThrows(IllegalStateException.class, () -> pair.server.readClientHello(new byte[1]));
    assertEquals(NoiseHandshake.Step.SERVER_HELLO, pair.server.step());
  }

  @Test
  void handshake_afterSplit_everyCallThrowsIllegalState() throws Exception {
    HandshakePair pair = new HandshakePair();
    pair.complete(new byte[] {1});

    assertThrows(IllegalStateException.class, pair.client::split);
    assertThrows(IllegalStateException.class, pair.client::writeClientHello);
    assertEquals(NoiseHandshake.Step.DONE, pair.client.step());
  }

  @Test
  void handshake_afterFailure_everyCallThrowsIllegalState() throws Exception {
    HandshakePair pair = new HandshakePair();
    pair.upToServerHello();
    assertThrows(NoiseException.class, () -> pair.client.readServerHello(new byte[] {1, 2, 3}));

    assertEquals(NoiseHandshake.Step.FAILED, pair.client.step());
    assertThrows(IllegalStateException.class, () -> pair.client.writeClientFinish(new byte[1]));
    assertThrows(IllegalStateException.class, pair.client::split);
  }
}
