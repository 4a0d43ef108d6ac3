package io.wafleet.connector.app;

/** The little JSON the status endpoints write by hand (no mapper on the connector's class path). */
final class Json {

  private Json() {}

  static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  static String string(Object value) {
    return value == null ? "null" : "\"" + escape(value.toString()) + "\"";
  }
}
