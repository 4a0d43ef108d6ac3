package io.wafleet.simulator.server;

import io.wafleet.client.binary.Node;
import io.wafleet.client.model.Jid;
import java.util.List;
import java.util.Map;

/**
 * Builders for the stanzas the server sends (§6, §7). The server always names itself
 * {@code @s.whatsapp.net}, a JID pair with an empty user (§5, §11 item 14). Stateless; thread-safe.
 */
public final class Stanzas {

  /** The server's own address (§5). */
  public static final String SERVER = Jid.SERVER_JID.toString();

  private Stanzas() {}

  /** {@code <iq from=@s.whatsapp.net type="result" id=ID/>}: the empty answer to any iq (§7.3). */
  public static Node result(String id) {
    return Node.of("iq", Node.attrsOf("from", SERVER, "type", "result", "id", id));
  }

  /** A result iq with children. */
  public static Node result(String id, List<Node> children) {
    return Node.of("iq", Node.attrsOf("from", SERVER, "type", "result", "id", id), children);
  }

  /** {@code <stream:error code="N"/>} (§6.6, §7.6). */
  public static Node streamError(int code) {
    return Node.of("stream:error", Node.attrsOf("code", Integer.toString(code)));
  }

  /** 440: {@code <stream:error><conflict type="replaced"/></stream:error>} (§7.6). */
  public static Node replaced() {
    return Node.of("stream:error", Map.of(),
        List.of(Node.of("conflict", Node.attrsOf("type", "replaced"))));
  }

  /** 401 logout: {@code <stream:error code="401"><conflict type="device_removed"/></stream:error>}. */
  public static Node deviceRemoved() {
    return Node.of("stream:error", Node.attrsOf("code", "401"),
        List.of(Node.of("conflict", Node.attrsOf("type", "device_removed"))));
  }

  /** The stream error for a fault or logout code: 440 and 401 get their conflict child. */
  public static Node streamErrorFor(int code) {
    return switch (code) {
      case 440 -> replaced();
      case 401 -> deviceRemoved();
      default -> streamError(code);
    };
  }

  /** {@code <failure reason="N"/>} (§3.4, §7.6). */
  public static Node failure(int reason) {
    return Node.of("failure", Node.attrsOf("reason", Integer.toString(reason)));
  }
}
