package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import io.wafleet.simulator.phone.LinkedDevice;
import io.wafleet.simulator.relay.DeviceAddress;
import io.wafleet.simulator.relay.Endpoint;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in device (§7): sends {@code success}, goes online at the relay (queued stanzas with
 * {@code offline="1"}, then {@code <ib><offline count="N"/></ib>}, §7.4), answers the iqs a client
 * sends (§7.2, §7.3, usync §8.3, key fetch §8.5), hands {@code <message>} and {@code <receipt>}
 * stanzas to the relay and acks them (§8.8, §9.5). Its receipts and {@code <ack class="message">}
 * also tell the relay which messages it processed (§9.3), so that unacknowledged ones come back at
 * its next login. Other acks, {@code <presence>}, {@code <chatstate>} and anything else from the
 * client are ignored (§11 item 13).
 *
 * <p>Called only on the connection's thread (see {@link NodeHandler}); the relay calls
 * {@link #deliver} from any thread, which only writes through the thread-safe connection.
 */
final class ClientSession implements NodeHandler, Endpoint {

  private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

  private final Connection connection;
  private final ServerContext context;
  private final LinkedDevice device;
  private final DeviceAddress address;
  private final IqAnswers answers;

  ClientSession(Connection connection, ServerContext context, LinkedDevice device) {
    this.connection = connection;
    this.context = context;
    this.device = device;
    this.address = new DeviceAddress(context.phones().phone(device.jid().user()), device.deviceId());
    this.answers = new IqAnswers(context.phones(), device.jid(),
        new UsyncAnswer(context.relay().directory(), context.stats()),
        new KeyFetchAnswer(context.keys()), new GroupAnswer(context.relay().directory()));
  }

  /** §7.1 success with {@code lid="LID:DEV@lid"}, then the offline queue and marker (§7.4). */
  @Override
  public void start() {
    long now = context.config().clock().instant().getEpochSecond();
    connection.send(Node.of("success", Node.attrsOf(
        "t", Long.toString(now),
        "props", "1",
        "abprops", "1",
        "location", "sim",
        "lid", device.lid().toString(),
        "creation", Long.toString(device.linkedAt().getEpochSecond()))));
    context.relay().connect(address, this, true);
  }

  @Override
  public void handle(Node node) {
    switch (node.tag()) {
      case "iq" -> iq(node);
      case "message" -> sendMessageAck(node);
      case "receipt" -> connection.send(context.relay().submitReceipt(address, node));
      case "ack" -> context.relay().submitAck(address, node);
      default -> log.debug("ignored stanza tag={} device={}", node.tag(), device.jid().masked());
    }
  }

  /** The ack goes out before any copy is delivered (Relay#submitMessage), a refusal's at the end. */
  private void sendMessageAck(Node message) {
    boolean[] sent = {false};
    Node ack = context.relay().submitMessage(address, message, accepted -> {
      sent[0] = true;
      connection.send(accepted);
    });
    if (!sent[0]) {
      connection.send(ack);
    }
  }

  private void iq(Node node) {
    String type = node.attrOr("type", "");
    if (!"get".equals(type) && !"set".equals(type)) {
      return;
    }
    connection.send(answers.answer(node));
    if (answers.removedSelf(node)) {
      log.info("device removed itself device={}", device.jid().masked());
    }
  }

  /** The relay's way in: false once this connection is no longer logged in. */
  @Override
  public boolean deliver(Node stanza) {
    if (connection.state() != Connection.State.AUTHENTICATED) {
      return false;
    }
    connection.send(stanza);
    return true;
  }

  @Override
  public void closed() {
    context.relay().disconnect(address, this);
  }

  @Override
  public Optional<Jid> deviceJid() {
    return Optional.of(device.jid());
  }
}
