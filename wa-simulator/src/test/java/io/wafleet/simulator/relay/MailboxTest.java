package io.wafleet.simulator.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wafleet.client.binary.Node;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MailboxTest {

  private static Node stanza(String id) {
    return Node.of("message", Node.attrsOf("id", id));
  }

  @Test
  void offer_whileOffline_queuesInOrderUpToCapacityThenDrops() {
    Mailbox box = new Mailbox(2);
    assertEquals(Mailbox.Outcome.QUEUED, box.offer(stanza("1")));
    assertEquals(Mailbox.Outcome.QUEUED, box.offer(stanza("2")));
    assertEquals(Mailbox.Outcome.DROPPED, box.offer(stanza("3")));
    List<Node> got = new ArrayList<>();
    List<Node> drained = box.goOnline(got::add);
    assertEquals(List.of("1", "2"), drained.stream().map(n -> n.attr("id")).toList());
    assertEquals(0, box.queued());
  }

  @Test
  void offer_whileOnline_delivers_andQueuesWhenEndpointRefuses() {
    Mailbox box = new Mailbox(10);
    List<Node> got = new ArrayList<>();
    Endpoint live = got::add;
    box.goOnline(live);
    assertEquals(Mailbox.Outcome.DELIVERED, box.offer(stanza("1")));
    assertEquals(1, got.size());
    Endpoint dead = stanza -> false;
    box.goOnline(dead);
    assertEquals(Mailbox.Outcome.QUEUED, box.offer(stanza("2")));
    assertEquals(Mailbox.State.OFFLINE, box.state());
  }

  @Test
  void goOffline_byReplacedEndpoint_keepsNewerOneOnline() {
    Mailbox box = new Mailbox(10);
    Endpoint older = stanza -> true;
    Endpoint newer = stanza -> true;
    box.goOnline(older);
    box.goOnline(newer);
    assertFalse(box.goOffline(older));
    assertEquals(Mailbox.State.ONLINE, box.state());
    assertTrue(box.goOffline(newer));
    assertEquals(Mailbox.State.OFFLINE, box.state());
  }

  @Test
  void requeue_putsUnflushedStanzasBackAheadOfNewerOnes() {
    Mailbox box = new Mailbox(10);
    box.offer(stanza("1"));
    box.offer(stanza("2"));
    List<Node> drained = box.goOnline(stanza -> false);
    box.goOffline(box.endpoint());
    box.offer(stanza("3"));
    box.requeue(drained);
    assertEquals(List.of("1", "2", "3"),
        box.goOnline(stanza -> true).stream().map(n -> n.attr("id")).toList());
  }
}
