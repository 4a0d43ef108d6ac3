package io.wafleet.client.internal;

import io.wafleet.client.binary.Node;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes inbound nodes: first to a pending query waiting for that id, else by tag to its handler;
 * nodes nobody handles are logged at DEBUG and dropped. Not thread-safe: the inbound thread only.
 */
public final class NodeDispatcher {

  private static final Logger log = LoggerFactory.getLogger(NodeDispatcher.class);

  private final IqRequests iqs;
  private final Map<String, Consumer<Node>> handlers = new HashMap<>();

  public NodeDispatcher(IqRequests iqs) {
    this.iqs = iqs;
  }

  public NodeDispatcher on(String tag, Consumer<Node> handler) {
    handlers.put(tag, handler);
    return this;
  }

  /** The handler registered for {@code tag}, or one that drops the node. */
  public Consumer<Node> handler(String tag) {
    return handlers.getOrDefault(tag, node -> log.debug("node unhandled tag={}", tag));
  }

  public void dispatch(Node node) {
    if (("iq".equals(node.tag()) && isReply(node)) && iqs.resolve(node)) {
      return;
    }
    Consumer<Node> handler = handlers.get(node.tag());
    if (handler == null) {
      log.debug("node unhandled tag={}", node.tag());
      return;
    }
    handler.accept(node);
  }

  private static boolean isReply(Node iq) {
    String type = iq.attr("type");
    return "result".equals(type) || "error".equals(type);
  }
}
