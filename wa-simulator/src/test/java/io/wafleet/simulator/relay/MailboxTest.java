package io.wafleet.simulator.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.wafleet.client.binary.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MailboxTest {

  private static Node stanza(String id) {
    return Node.of("message", Node.attrsOf("id", id));
  }

  private static Mailbox mailbox(int capacity) {
    return new Mailbox(capacity, "****01:1");
  }

  private static List<String> ids(List<Node> stanzas) {
    return stanzas.stream().map(n -> n.attr("id")).toList();
  }

  /** Online with an endpoint that takes everything; returns what it received. */
  private static List<Node> online(Mailbox box) {
    List<Node> got = new ArrayList<>();
    box.goOnline(got::add);
    return got;
  }

  @Test
  void offer_whileOffline_queuesInOrder() {
    Mailbox box = mailbox(10);
    assertEquals(Mailbox.Outcome.QUEUED, box.offer(stanza("1")));
    assertEquals(Mailbox.Outcome.QUEUED, box.offer(stanza("2")));
    Mailbox.Backlog backlog = box.goOnline(stanza -> true);
    assertEquals(List.of("1", "2"), ids(backlog.queued()));
    assertEquals(List.of(), backlog.unacknowledged());
    assertEquals(0, box.queued());
  }

  @Test
  void offer_whileOnline_delivers_andQueuesWhenEndpointRefuses() {
    Mailbox box = mailbox(10);
    List<Node> got = online(box);
    assertEquals(Mailbox.Outcome.DELIVERED, box.offer(stanza("1")));
    assertEquals(1, got.size());
    box.goOnline(stanza -> false);
    assertEquals(Mailbox.Outcome.QUEUED, box.offer(stanza("2")));
    assertEquals(Mailbox.State.OFFLINE, box.state());
  }

  @Test
  void goOffline_byReplacedEndpoint_keepsNewerOneOnline() {
    Mailbox box = mailbox(10);
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
    Mailbox box = mailbox(10);
    box.offer(stanza("1"));
    box.offer(stanza("2"));
    List<Node> drained = box.goOnline(stanza -> false).all();
    box.goOffline(box.endpoint());
    box.offer(stanza("3"));
    box.requeue(drained);
    assertEquals(List.of("1", "2", "3"), ids(box.goOnline(stanza -> true).all()));
  }

  @Test
  void delivered_untilAcknowledgedById_comesBackFirstAtNextLogin() {
    Mailbox box = mailbox(10);
    Endpoint first = online(box)::add;
    box.goOnline(first);
    box.offer(stanza("1"));
    box.offer(stanza("2"));
    box.offer(stanza("3"));
    assertEquals(1, box.acknowledge(List.of("1", "unknown")));
    box.goOffline(first);
    box.offer(stanza("4"));
    Mailbox.Backlog backlog = box.goOnline(stanza -> true);
    assertEquals(List.of("2", "3"), ids(backlog.unacknowledged()));
    assertEquals(List.of("4"), ids(backlog.queued()));
    assertEquals(List.of("2", "3", "4"), ids(backlog.all()));
    assertEquals(0, box.unacknowledged(), "handed over; in flight again only once written");
  }

  @Test
  void acknowledge_byReceiptList_coversEveryListedId() {
    Mailbox box = mailbox(10);
    online(box);
    for (String id : List.of("1", "2", "3", "4")) {
      box.offer(stanza(id));
    }
    Node receipt = Node.of("receipt", Node.attrsOf("id", "1", "type", "read"), List.of(
        Node.of("list", Map.of(), List.of(Node.of("item", Node.attrsOf("id", "2")),
            Node.of("item", Node.attrsOf("id", "4"))))));
    assertEquals(List.of("1", "2", "4"), Relay.receiptIds(receipt));
    assertEquals(3, box.acknowledge(Relay.receiptIds(receipt)));
    assertEquals(List.of("3"), ids(box.goOnline(stanza -> true).unacknowledged()));
  }

  @Test
  void written_backlogStanzas_areInFlightAgainUntilAcknowledged() {
    Mailbox box = mailbox(10);
    online(box);
    box.offer(stanza("1"));
    Mailbox.Backlog backlog = box.goOnline(stanza -> true);
    backlog.all().forEach(box::written);
    assertEquals(1, box.unacknowledged());
    box.acknowledge(List.of("1"));
    assertEquals(List.of(), box.goOnline(stanza -> true).all());
  }

  @Test
  void goOnline_messageBothInFlightAndQueued_isHandedOverOnce() {
    Mailbox box = mailbox(10);
    Endpoint first = online(box)::add;
    box.goOnline(first);
    box.offer(stanza("1"));
    box.goOffline(first);
    box.offer(stanza("1"));
    box.offer(stanza("2"));
    Node receipt = Node.of("receipt", Node.attrsOf("id", "1"));
    box.offer(receipt);
    assertEquals(List.of("message:1", "message:2", "receipt:1"),
        box.goOnline(stanza -> true).all().stream().map(n -> n.tag() + ":" + n.attr("id"))
            .toList());
  }

  @Test
  void offer_beyondBound_dropsOldestInFlightFirstAndLogsWarn() {
    Logger logger = (Logger) LoggerFactory.getLogger(Mailbox.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      Mailbox box = mailbox(3);
      Endpoint first = online(box)::add;
      box.goOnline(first);
      box.offer(stanza("1"));
      box.offer(stanza("2"));
      box.goOffline(first);
      box.offer(stanza("3"));
      box.offer(stanza("4"));
      box.offer(stanza("5"));
      assertEquals(2, box.dropped());
      assertEquals(List.of("3", "4", "5"), ids(box.goOnline(stanza -> true).all()));
      List<ILoggingEvent> warns = appender.list.stream()
          .filter(event -> event.getLevel() == Level.WARN).toList();
      assertEquals(2, warns.size());
      assertTrue(warns.get(0).getFormattedMessage().contains("id=1"), warns.toString());
      assertTrue(warns.get(1).getFormattedMessage().contains("droppedTotal=2"), warns.toString());
    } finally {
      logger.detachAppender(appender);
    }
  }
}
