package io.wafleet.client.binary;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token dictionaries of §4.8: 236 single-byte tokens (index 0 is {@code ""}) and 4 double-byte
 * dictionaries of 256 entries, loaded once from the plain-text resource wa-tokens.txt (dumped from Baileys
 * 7.0.0-rc.9 by wa-client/scripts/dump-tokens.mjs). The encoder and decoder use {@link #standard()}
 * unless given another table, such as a server's table of an older dictionary version read with
 * {@link #fromResource}. Immutable; thread-safe.
 */
public final class Tokens {

  public static final int SINGLE_COUNT = 236;
  public static final int DICTIONARY_COUNT = 4;
  public static final int DICTIONARY_SIZE = 256;
  static final String RESOURCE = "wa-tokens.txt";
  /** {@link #code} result for a string that is not a token. */
  static final int NOT_A_TOKEN = -1;

  private static final Tokens STANDARD = load();

  private final List<String> single;
  private final List<List<String>> doubles;
  private final Map<String, Integer> codes;
  private final Map<String, Integer> tags;

  private Tokens(List<String> single, List<List<String>> doubles, Map<String, Integer> tags) {
    this.single = single;
    this.doubles = doubles;
    this.tags = tags;
    this.codes = buildCodes(single, doubles);
  }

  /** The dictionaries of protocol version 3 ({@code DICT_VERSION}), loaded at class initialization. */
  public static Tokens standard() {
    return STANDARD;
  }

  /** Single-byte token {@code index} (1..235), or null when out of range. */
  public String single(int index) {
    return index >= 1 && index < single.size() ? single.get(index) : null;
  }

  /** Entry {@code index} of double-byte dictionary {@code dict}, or null when out of range. */
  public String doubleByte(int dict, int index) {
    if (dict < 0 || dict >= doubles.size()) {
      return null;
    }
    List<String> table = doubles.get(dict);
    return index >= 0 && index < table.size() ? table.get(index) : null;
  }

  /** The single-byte list as shipped, index 0 included; for checks of the table itself. */
  public List<String> singleList() {
    return single;
  }

  /** The four double-byte dictionaries as shipped. */
  public List<List<String>> doubleLists() {
    return doubles;
  }

  /** The {@code tags} object of the resource (Baileys' {@code TAGS}); tests compare it with {@link WireTags}. */
  public Map<String, Integer> tagTable() {
    return tags;
  }

  /**
   * How {@code value} is written as a token: a single-byte index 1..235, or for a double-byte token
   * {@code (DICTIONARY_0 + dict) << 8 | index}; {@link #NOT_A_TOKEN} otherwise. {@code ""} is not a
   * token here (the encoder writes it as LIST_EMPTY, §4.5).
   */
  int code(String value) {
    return codes.getOrDefault(value, NOT_A_TOKEN);
  }

  private static Map<String, Integer> buildCodes(List<String> single, List<List<String>> doubles) {
    Map<String, Integer> codes = new HashMap<>();
    for (int i = 1; i < single.size(); i++) {
      codes.putIfAbsent(single.get(i), i);
    }
    for (int dict = 0; dict < doubles.size(); dict++) {
      List<String> table = doubles.get(dict);
      for (int i = 0; i < table.size(); i++) {
        codes.putIfAbsent(table.get(i), (WireTags.DICTIONARY_0 + dict) << 8 | i);
      }
    }
    return Map.copyOf(codes);
  }

  private static Tokens load() {
    return fromResource(Tokens.class, RESOURCE);
  }

  /**
   * A table in the format of wa-tokens.txt ({@code = section} lines, then one entry per line), read
   * from the resource {@code name} next to {@code anchor}.
   *
   * @throws IllegalStateException if the resource is missing
   * @throws IllegalArgumentException if it lacks the §4.8 sections and sizes
   */
  public static Tokens fromResource(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name + " next to " + anchor.getName());
      }
      return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + name, e);
    }
  }

  /** {@link #parse(String, String)} with the standard resource's name in error messages. */
  static Tokens parse(String text) {
    return parse(RESOURCE, text);
  }

  /**
   * Reads the table format: {@code # comment} lines, {@code = tags}, {@code = single} and
   * {@code = double N} section lines, then one entry per line ({@code NAME value} under tags, a
   * token otherwise). Tokens hold no spaces, so a line is the token as is. {@code source} names
   * the text in error messages.
   *
   * @throws IllegalArgumentException if the text lacks the §4.8 sections and sizes
   */
  private static Tokens parse(String source, String text) {
    Map<String, List<String>> sections = new LinkedHashMap<>();
    List<String> current = null;
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("= ")) {
        String name = line.substring(2);
        if (sections.containsKey(name)) {
          throw new IllegalArgumentException(source + ": section " + name + " twice");
        }
        current = new ArrayList<>();
        sections.put(name, current);
      } else if (current == null) {
        throw new IllegalArgumentException(source + ": line " + lineNumber + " before a section");
      } else {
        current.add(line);
      }
    }
    Map<String, Integer> tags = tagsOf(source, sections.get("tags"));
    List<String> single = new ArrayList<>();
    single.add("");
    single.addAll(section(source, sections, "single", SINGLE_COUNT - 1));
    List<List<String>> doubles = new ArrayList<>();
    for (int i = 0; i < DICTIONARY_COUNT; i++) {
      doubles.add(List.copyOf(section(source, sections, "double " + i, DICTIONARY_SIZE)));
    }
    if (sections.size() != DICTIONARY_COUNT + 2) {
      throw new IllegalArgumentException(source + ": unexpected sections " + sections.keySet());
    }
    return new Tokens(Collections.unmodifiableList(single), List.copyOf(doubles), tags);
  }

  private static List<String> section(String source, Map<String, List<String>> sections,
      String name, int size) {
    List<String> entries = sections.get(name);
    if (entries == null || entries.size() != size) {
      throw new IllegalArgumentException(source + ": section " + name + " must hold " + size
          + " entries");
    }
    return entries;
  }

  private static Map<String, Integer> tagsOf(String source, List<String> lines) {
    if (lines == null) {
      throw new IllegalArgumentException(source + ": no tags section");
    }
    Map<String, Integer> out = new HashMap<>();
    for (String line : lines) {
      String[] parts = line.split(" ");
      if (parts.length != 2 || !parts[1].matches("[0-9]{1,3}")) {
        throw new IllegalArgumentException(source + ": bad tag line '" + line + "'");
      }
      out.put(parts[0], Integer.parseInt(parts[1]));
    }
    return Map.copyOf(out);
  }
}
