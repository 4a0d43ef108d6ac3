package io.wafleet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the repository self-contained: every protocol section the sources cite
 * ({@code docs/protocol.md §N.M}, or a bare {@code §N.M}) is a heading of docs/protocol.md, and no
 * file refers to design material outside the repository. Reads the checkout this module is built
 * from (Surefire's working directory is the module directory).
 */
class ProtocolCitationsTest {

  private static final char SECTION = '\u00a7';
  private static final Pattern CITATION = Pattern.compile(SECTION + "(\\d+(?:\\.\\d+)?)");
  private static final Pattern HEADING = Pattern.compile("^#{2,3} (\\d+(?:\\.\\d+)?)[. ]");
  /** Names of files outside the repository that project files must not mention. */
  private static final List<String> OUTSIDE = List.of(
      "../" + "shared", "STYLE" + ".md", "STYLE" + " item", "STACK" + "-NOTES",
      "WHATSAPP" + "-PROTOCOL", "ARCHITECTURE" + ".md");
  private static final Set<String> SKIPPED_DIRS =
      Set.of(".git", "target", "node_modules", ".wafleet", ".idea");
  private static final Set<String> TEXT_EXTENSIONS = Set.of(
      "java", "md", "mjs", "js", "json", "proto", "py", "xml", "sh", "yaml", "yml", "properties");

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void citedSections_allExistAsHeadingsOfProtocolDoc() throws IOException {
    Set<String> headings = headings(repoRoot().resolve("docs/protocol.md"));
    assertTrue(headings.contains("0") && headings.contains("13"),
        "docs/protocol.md has sections 0 to 13, found " + headings);
    List<String> missing = new ArrayList<>();
    int citations = 0;
    for (Path file : textFiles()) {
      Matcher m = CITATION.matcher(read(file));
      while (m.find()) {
        citations++;
        if (!headings.contains(m.group(1))) {
          missing.add(repoRoot().relativize(file) + ": " + SECTION + m.group(1));
        }
      }
    }
    assertTrue(citations > 0, "no citations found: is the working directory a module of the repo?");
    assertEquals(List.of(), missing, "sections cited but missing from docs/protocol.md");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void projectFiles_referToNothingOutsideTheRepository() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path file : textFiles()) {
      String text = read(file);
      for (String name : OUTSIDE) {
        if (text.contains(name)) {
          offenders.add(repoRoot().relativize(file) + " mentions " + name);
        }
      }
    }
    assertEquals(List.of(), offenders, "project files must cite docs inside the repository");
  }

  private static Set<String> headings(Path protocolDoc) throws IOException {
    Set<String> numbers = new TreeSet<>();
    for (String line : Files.readAllLines(protocolDoc, StandardCharsets.UTF_8)) {
      Matcher m = HEADING.matcher(line);
      if (m.find()) {
        assertTrue(numbers.add(m.group(1)), "section heading twice: " + m.group(1));
      }
    }
    return numbers;
  }

  private static Path repoRoot() {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.isRegularFile(root.resolve("docs/protocol.md")),
        "docs/protocol.md not found above the working directory " + Path.of("").toAbsolutePath());
    return root;
  }

  private static List<Path> textFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    collect(repoRoot(), files);
    return files;
  }

  private static void collect(Path dir, List<Path> files) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (Files.isDirectory(entry)) {
          if (!SKIPPED_DIRS.contains(name)) {
            collect(entry, files);
          }
        } else if (isText(name)) {
          files.add(entry);
        }
      }
    }
  }

  private static boolean isText(String name) {
    int dot = name.lastIndexOf('.');
    return name.equals("wafleet") || name.equals("run")
        || (dot > 0 && TEXT_EXTENSIONS.contains(name.substring(dot + 1))
            && !name.equals("package-lock.json"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (MalformedInputException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }
}
