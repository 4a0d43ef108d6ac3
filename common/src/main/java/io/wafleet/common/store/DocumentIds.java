package io.wafleet.common.store;

import java.nio.charset.StandardCharsets;

/**
 * Firestore's rules for document ids (firebase.google.com "Usage and limits"): not empty, no '/',
 * at most 1,500 bytes of UTF-8, not '.' or '..', and not the reserved {@code __.*__} form.
 */
public final class DocumentIds {

  public static final int MAX_BYTES = 1_500;

  private DocumentIds() {}

  /** Returns {@code id} if Firestore accepts it as a document id; otherwise names the field. */
  public static String require(String id, String field) {
    String problem = problem(id);
    if (problem != null) {
      throw new InvalidDocumentIdException(field, problem);
    }
    return id;
  }

  public static boolean isValid(String id) {
    return problem(id) == null;
  }

  private static String problem(String id) {
    if (id == null) {
      return "is missing";
    }
    if (id.isEmpty()) {
      return "is empty";
    }
    if (id.indexOf('/') >= 0) {
      return "contains '/'";
    }
    if (id.equals(".") || id.equals("..")) {
      return "is '.' or '..'";
    }
    if (id.length() > 4 && id.startsWith("__") && id.endsWith("__")) {
      return "matches the reserved form __...__";
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return "is longer than 1500 bytes";
    }
    return null;
  }
}
