package io.wafleet.client.model;

import java.util.OptionalInt;

/** Parsing and formatting rules of {@link Jid} (§5). Stateless; thread-safe. */
final class JidSyntax {

  private static final int MAX_DIGITS = 5;
  private static final int VISIBLE_USER_CHARS = 4;

  private JidSyntax() {}

  /** Returns null when {@code jid} is not {@code user[_agent][:device]@server}. */
  static Jid parse(String jid) {
    if (jid == null) {
      return null;
    }
    int at = jid.indexOf('@');
    if (at < 0) {
      return null;
    }
    String server = jid.substring(at + 1);
    String userPart = jid.substring(0, at);
    OptionalInt device = OptionalInt.empty();
    int colon = userPart.indexOf(':');
    if (colon >= 0) {
      int value = decimal(userPart.substring(colon + 1), Jid.MAX_DEVICE);
      if (value < 0) {
        return null;
      }
      device = OptionalInt.of(value);
      userPart = userPart.substring(0, colon);
    }
    int agent = 0;
    int underscore = userPart.indexOf('_');
    if (underscore >= 0) {
      agent = decimal(userPart.substring(underscore + 1), Jid.MAX_AGENT);
      if (agent < 0) {
        return null;
      }
      userPart = userPart.substring(0, underscore);
    }
    if (checkParts(userPart, agent, device, server) != null) {
      return null;
    }
    return new Jid(userPart, agent, device, server);
  }

  /** Returns what is wrong with these parts, or null when they form a valid JID. */
  static String checkParts(String user, int agent, OptionalInt device, String server) {
    if (server.isEmpty()) {
      return "server is empty";
    }
    if (server.indexOf('@') >= 0) {
      return "server contains '@'";
    }
    if (containsAny(user, "@:_")) {
      return "user contains '@', ':' or '_'";
    }
    if (agent < 0 || agent > Jid.MAX_AGENT) {
      return "agent out of range 0.." + Jid.MAX_AGENT;
    }
    if (device.isPresent() && (device.getAsInt() < 0 || device.getAsInt() > Jid.MAX_DEVICE)) {
      return "device out of range 0.." + Jid.MAX_DEVICE;
    }
    return null;
  }

  static String format(String user, int agent, OptionalInt device, String server) {
    StringBuilder out = new StringBuilder(user.length() + server.length() + 8).append(user);
    if (agent != 0) {
      out.append('_').append(agent);
    }
    if (device.isPresent() && device.getAsInt() != 0) {
      out.append(':').append(device.getAsInt());
    }
    return out.append('@').append(server).toString();
  }

  static String maskUser(String user) {
    if (user.length() <= VISIBLE_USER_CHARS) {
      return user;
    }
    return "*".repeat(user.length() - VISIBLE_USER_CHARS)
        + user.substring(user.length() - VISIBLE_USER_CHARS);
  }

  /** For error messages: the input's length and shape, never its digits. */
  static String describe(String jid) {
    return jid == null ? "null" : "length " + jid.length();
  }

  /** Parses 1..5 ASCII digits no greater than {@code max}; -1 otherwise. */
  private static int decimal(String text, int max) {
    if (text.isEmpty() || text.length() > MAX_DIGITS) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value <= max ? value : -1;
  }

  private static boolean containsAny(String text, String chars) {
    for (int i = 0; i < chars.length(); i++) {
      if (text.indexOf(chars.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }
}
