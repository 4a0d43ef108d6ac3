package io.wafleet.common.store;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.DocumentSnapshot;
import java.time.Instant;
import java.util.Map;

/**
 * Reads typed fields of a snapshot and reports a wrong shape as {@link CorruptDocumentException}
 * naming the path and field. Null-returning variants are for fields the schema allows to be absent.
 */
final class Fields {

  private final DocumentSnapshot snapshot;

  Fields(DocumentSnapshot snapshot) {
    this.snapshot = snapshot;
  }

  String path() {
    return snapshot.getReference().getPath();
  }

  String requiredString(String field) {
    String value = optionalString(field);
    if (value == null) {
      throw missing(field);
    }
    return value;
  }

  String optionalString(String field) {
    Object value = snapshot.get(field);
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    throw wrongType(field, "a string", value);
  }

  long requiredLong(String field) {
    Object value = snapshot.get(field);
    if (value instanceof Long l) {
      return l;
    }
    if (value == null) {
      throw missing(field);
    }
    throw wrongType(field, "an integer", value);
  }

  long longOr(String field, long fallback) {
    return snapshot.get(field) == null ? fallback : requiredLong(field);
  }

  int intOr(String field, int fallback) {
    long value = longOr(field, fallback);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new CorruptDocumentException(path(), field, "is out of int range");
    }
    return (int) value;
  }

  boolean requiredBoolean(String field) {
    Object value = snapshot.get(field);
    if (value instanceof Boolean b) {
      return b;
    }
    if (value == null) {
      throw missing(field);
    }
    throw wrongType(field, "a boolean", value);
  }

  Instant requiredInstant(String field) {
    Instant value = optionalInstant(field);
    if (value == null) {
      throw missing(field);
    }
    return value;
  }

  Instant optionalInstant(String field) {
    Object value = snapshot.get(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Timestamp t) {
      return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
    throw wrongType(field, "a timestamp", value);
  }

  /** A list of timestamps; empty when the field is absent. */
  java.util.List<Instant> instantList(String field) {
    Object value = snapshot.get(field);
    if (value == null) {
      return java.util.List.of();
    }
    if (!(value instanceof java.util.List<?> list)) {
      throw wrongType(field, "a list of timestamps", value);
    }
    java.util.List<Instant> out = new java.util.ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof Timestamp t)) {
        throw wrongType(field, "a list of timestamps", o == null ? "null" : o);
      }
      out.add(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
    }
    return out;
  }

  byte[] requiredBytes(String field) {
    Object value = snapshot.get(field);
    if (value instanceof Blob blob) {
      return blob.toBytes();
    }
    if (value == null) {
      throw missing(field);
    }
    throw wrongType(field, "bytes", value);
  }

  Map<String, Object> optionalMap(String field) {
    Object value = snapshot.get(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) map;
      return typed;
    }
    throw wrongType(field, "a map", value);
  }

  <E extends Enum<E>> E requiredEnum(String field, Class<E> type) {
    String name = requiredString(field);
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new CorruptDocumentException(path(), field, "has unknown value '" + name + "'");
    }
  }

  CorruptDocumentException missing(String field) {
    return new CorruptDocumentException(path(), field, "is missing");
  }

  private CorruptDocumentException wrongType(String field, String expected, Object actual) {
    return new CorruptDocumentException(
        path(), field, "should be " + expected + " but is " + actual.getClass().getSimpleName());
  }

  static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.ofTimeSecondsAndNanos(instant.getEpochSecond(), instant.getNano());
  }
}
