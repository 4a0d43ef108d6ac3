package io.wafleet.simulator.server;

import io.wafleet.client.Jid;
import io.wafleet.client.binary.Node;
import io.wafleet.simulator.phone.LinkedDevice;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logged-in device (§7): sends {@code success} and the empty offline marker, then answers the
 * iqs a client sends after login (§7.2, §7.3) as WhatsApp does; any unknown iq gets an empty
 * result with its id echoed. Message relay is not implemented yet: other stanzas are ignored.
 *
 * <p>Called only on the connection's thread (see {@link NodeHandler}); not otherwise thread-safe.
 */
final class ClientSession implements NodeHandler {

  private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

  private final Connection connection;
  private final ServerContext context;
  private final LinkedDevice device;
  private final IqAnswers answers;

  ClientSession(Connection connection, ServerContext context, LinkedDevice device) {
    this.connection = connection;
    this.context = context;
    this.device = device;
    this.answers = new IqAnswers(context.phones(), device.jid());
  }

  /** §7.1 success with {@code lid="LID:DEV@lid"}, then §7.4 {@code <ib><offline count="0"/></ib>}. */
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
    connection.send(Node.of("ib", Map.of(),
        List.of(Node.of("offline", Node.attrsOf("count", "0")))));
  }

  @Override
  public void handle(Node node) {
    if (!"iq".equals(node.tag())) {
      log.debug("ignored stanza tag={} device={}", node.tag(), device.jid().masked());
      return;
    }
    String type = node.attrOr("type", "");
    if (!"get".equals(type) && !"set".equals(type)) {
      return;
    }
    Node answer = answers.answer(node);
    connection.send(answer);
    if (answers.removedSelf(node)) {
      log.info("device removed itself device={}", device.jid().masked());
    }
  }

  @Override
  public void closed() {
    // Nothing registered per login.
  }

  @Override
  public Optional<Jid> deviceJid() {
    return Optional.of(device.jid());
  }
}
