package io.wafleet.client.binary;

import io.wafleet.client.model.Jid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One stanza of the binary protocol (§4.1): a tag, string attributes in insertion order, and content
 * that is absent (null), a {@code byte[]}, or a {@code List<Node>} of children. Build outgoing
 * stanzas with the {@code of} factories, read incoming ones with the accessors. Immutable; every
 * {@code byte[]} is copied on the way in and out. Thread-safe.
 *
 * <p>Content that arrives on the wire as a string (a token, a packed string or a JID, §4.5) is given
 * as its UTF-8 bytes by {@link #bytes()}; only BINARY_* content is raw bytes on the wire. Decoded
 * LIST_EMPTY content is an empty child list.
 *
 * <p>{@link #toString()} is for TRACE logs: it prints byte content as its length only and masks the
 * user of every attribute value that is a JID (CONTRIBUTING.md: no full phone numbers in logs).
 */
public record Node(String tag, Map<String, String> attrs, Object content) {

  public Node {
    Objects.requireNonNull(tag, "tag == null");
    if (tag.isEmpty()) {
      throw new IllegalArgumentException("tag is empty");
    }
    attrs = copyAttrs(attrs);
    content = copyContent(content);
  }

  public static Node of(String tag) {
    return new Node(tag, Map.of(), null);
  }

  public static Node of(String tag, Map<String, String> attrs) {
    return new Node(tag, attrs, null);
  }

  public static Node of(String tag, Map<String, String> attrs, List<Node> children) {
    return new Node(tag, attrs, Objects.requireNonNull(children, "children == null"));
  }

  public static Node of(String tag, Map<String, String> attrs, byte[] content) {
    return new Node(tag, attrs, Objects.requireNonNull(content, "content == null"));
  }

  /**
   * Attributes from alternating names and values, in that order: {@code attrsOf("id", "1", "type",
   * "get")}. {@code Map.of} would lose the order, which only matters for byte-exact output.
   */
  public static Map<String, String> attrsOf(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("attrsOf needs name/value pairs, got " + namesAndValues.length);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      out.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return out;
  }

  /** The content: null, a copy of the bytes, or the unmodifiable child list. */
  @Override
  public Object content() {
    return content instanceof byte[] bytes ? bytes.clone() : content;
  }

  /** The attribute's value, or null when absent. */
  public String attr(String name) {
    return attrs.get(name);
  }

  public String attrOr(String name, String fallback) {
    return attrs.getOrDefault(name, fallback);
  }

  /** A copy of the byte content (UTF-8 of string content decoded from the wire), or null. */
  public byte[] bytes() {
    return content instanceof byte[] bytes ? bytes.clone() : null;
  }

  /** True when the content is a non-empty child list. */
  public boolean hasChildren() {
    return !children().isEmpty();
  }

  /** The children, or an empty list when the content is absent or bytes. */
  @SuppressWarnings("unchecked")
  public List<Node> children() {
    return content instanceof List<?> list ? (List<Node>) list : List.of();
  }

  public List<Node> children(String childTag) {
    return children().stream().filter(child -> child.tag.equals(childTag)).toList();
  }

  /** The first child with that tag, or null. */
  public Node child(String childTag) {
    for (Node child : children()) {
      if (child.tag.equals(childTag)) {
        return child;
      }
    }
    return null;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof Node that)) {
      return false;
    }
    if (content instanceof byte[] mine) {
      return that.content instanceof byte[] theirs
          && tag.equals(that.tag) && attrs.equals(that.attrs) && Arrays.equals(mine, theirs);
    }
    return tag.equals(that.tag) && attrs.equals(that.attrs) && Objects.equals(content, that.content);
  }

  @Override
  public int hashCode() {
    int contentHash = content instanceof byte[] bytes ? Arrays.hashCode(bytes) : Objects.hashCode(content);
    return (tag.hashCode() * 31 + attrs.hashCode()) * 31 + contentHash;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    render(out);
    return out.toString();
  }

  private void render(StringBuilder out) {
    out.append('<').append(tag);
    attrs.forEach((key, value) -> out.append(' ').append(key).append("='").append(logSafe(value)).append('\''));
    if (content == null) {
      out.append("/>");
      return;
    }
    out.append('>');
    if (content instanceof byte[] bytes) {
      out.append('[').append(bytes.length).append(" bytes]");
    } else {
      children().forEach(child -> child.render(out));
    }
    out.append("</").append(tag).append('>');
  }

  private static String logSafe(String value) {
    if (value.indexOf('@') < 0) {
      return value;
    }
    Jid jid = Jid.tryParse(value);
    return jid == null ? value : jid.masked();
  }

  private static Map<String, String> copyAttrs(Map<String, String> attrs) {
    Objects.requireNonNull(attrs, "attrs == null");
    Map<String, String> copy = new LinkedHashMap<>();
    attrs.forEach((key, value) -> {
      Objects.requireNonNull(key, "attribute name == null");
      Objects.requireNonNull(value, () -> "attribute " + key + " == null");
      copy.put(key, value);
    });
    return Collections.unmodifiableMap(copy);
  }

  private static Object copyContent(Object content) {
    if (content == null) {
      return null;
    }
    if (content instanceof byte[] bytes) {
      return bytes.clone();
    }
    if (content instanceof List<?> list) {
      List<Node> children = new ArrayList<>(list.size());
      for (Object item : list) {
        if (!(item instanceof Node child)) {
          throw new IllegalArgumentException("children must be non-null Nodes");
        }
        children.add(child);
      }
      return Collections.unmodifiableList(children);
    }
    throw new IllegalArgumentException("content must be null, byte[] or List<Node>, not "
        + content.getClass().getName());
  }
}
