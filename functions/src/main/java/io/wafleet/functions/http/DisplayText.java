package io.wafleet.functions.http;

/**
 * Rules for text a person will read back (account names, resolutions): valid UTF-16 only (an
 * unpaired surrogate cannot be stored as UTF-8; Firestore would keep '?' instead), no control
 * characters, and no bidirectional formatting characters (overrides, embeddings, isolates and marks
 * can make a name display as something else on the dashboard). Stateless; thread-safe.
 */
public final class DisplayText {

  private DisplayText() {}

  /** Null when {@code text} is acceptable; otherwise why not, as the end of "name ...". */
  public static String problem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return "must not contain an unpaired surrogate";
      }
      if (Character.isLowSurrogate(c)) {
        return "must not contain an unpaired surrogate";
      }
      if (Character.isISOControl(c)) {
        return "must not contain control characters";
      }
      if (isBidiControl(c)) {
        return "must not contain bidirectional formatting characters (U+" + String.format("%04X", (int) c) + ")";
      }
    }
    return null;
  }

  /** ALM, LRM, RLM, the embeddings and overrides U+202A..U+202E, the isolates U+2066..U+2069. */
  static boolean isBidiControl(char c) {
    return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');
  }
}
