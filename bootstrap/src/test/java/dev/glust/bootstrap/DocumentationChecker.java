package dev.glust.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks the documentation against the files and the code it describes: relative links (and their
 * {@code #anchor}s) in Markdown must resolve, and docs/configuration.md must document exactly the
 * {@code GLUST_*} settings the main sources read. Kept apart from {@link DocumentationTest} so the
 * test can show each check failing on a small broken example.
 */
final class DocumentationChecker {
  private static final Pattern LINK =
      Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`+[^`]*`+");
  private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
  private static final Pattern FIRST_CODE_SPAN = Pattern.compile("`([^`]*)`");
  private static final Pattern SETTING = Pattern.compile("GLUST_[A-Z0-9]+(?:_[A-Z0-9]+)*");
  // GitHub's slugger keeps letters, marks, digits, connector punctuation (_), spaces and hyphens.
  private static final Pattern NOT_IN_SLUG = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]");
  private static final Set<String> SOURCE_EXTENSIONS =
      Set.of(".java", ".yml", ".yaml", ".xml", ".properties");

  private DocumentationChecker() {}

  /** Tests run in their module's directory; the repository root is the first parent with docs/. */
  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no README.md with docs/ above " + Path.of("").toAbsolutePath());
  }

  /**
   * Broken relative links of the given Markdown files: a missing file, or an {@code #anchor} no
   * heading of the target Markdown file has. Links in code blocks and code spans are not links.
   */
  static List<String> brokenLinks(Path root, List<Path> markdownFiles) {
    Map<Path, Set<String>> anchorsByFile = new HashMap<>();
    List<String> broken = new ArrayList<>();
    for (Path file : markdownFiles) {
      for (String target : relativeLinks(read(file))) {
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = pathPart.isEmpty() ? file : file.getParent().resolve(pathPart).normalize();
        String where = root.relativize(file) + ": link " + target;
        if (!Files.exists(resolved)) {
          broken.add(where + ": no file " + root.relativize(resolved));
        } else if (anchor != null) {
          Set<String> anchors =
              anchorsByFile.computeIfAbsent(resolved, path -> headingAnchors(read(path)));
          if (!resolved.toString().endsWith(".md") || !anchors.contains(anchor)) {
            broken.add(where + ": no heading with anchor #" + anchor);
          }
        }
      }
    }
    return broken;
  }

  /** Link targets that are neither absolute URLs nor {@code mailto:}s, in document order. */
  static List<String> relativeLinks(String markdown) {
    List<String> targets = new ArrayList<>();
    for (String line : proseLines(markdown)) {
      Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
      while (link.find()) {
        String target = link.group(1);
        if (!URI_SCHEME.matcher(target).find()) {
          targets.add(target);
        }
      }
    }
    return targets;
  }

  /** The anchors GitHub gives the headings of a Markdown text (repeated ones get -1, -2, …). */
  static Set<String> headingAnchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (String line : proseLines(markdown)) {
      Matcher heading = HEADING.matcher(line);
      if (heading.matches()) {
        String slug = slug(heading.group(2));
        int count = seen.merge(slug, 1, Integer::sum);
        anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
      }
    }
    return anchors;
  }

  /** GitHub's heading slug: the rendered text lower-cased, punctuation dropped, spaces to '-'. */
  static String slug(String headingSource) {
    String rendered =
        headingSource
            .replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1") // a link shows its text
            .replace("`", "")
            .replace("*", "");
    return NOT_IN_SLUG.matcher(rendered.toLowerCase(Locale.ROOT)).replaceAll("").replace(' ', '-');
  }

  /** The {@code GLUST_*} names the main sources of every module mention. */
  static Set<String> settingsReadByCode(Path root) {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path main : modules.map(module -> module.resolve("src/main")).toList()) {
        if (!Files.isDirectory(main)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(main)) {
          files
              .filter(Files::isRegularFile)
              .filter(DocumentationChecker::isSource)
              .forEach(file -> names.addAll(settingsIn(read(file))));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  /** The settings documented: the names in the first column of the tables of the given text. */
  static Set<String> settingsDocumented(String configurationMarkdown) {
    Set<String> names = new TreeSet<>();
    for (String line : proseLines(configurationMarkdown)) {
      String[] cells = line.split("\\|");
      if (line.startsWith("|") && cells.length > 1) {
        names.addAll(settingsIn(cells[1]));
      }
    }
    return names;
  }

  /**
   * The default each table row states for its settings: the first code span of the second cell
   * ({@code `7d` (a week)} states {@code 7d}), or empty when the cell starts in italics ({@code
   * *(unset)*}); any other cell is kept whole, so that it matches no default.
   */
  static Map<String, String> defaultsDocumented(String configurationMarkdown) {
    Map<String, String> defaults = new TreeMap<>();
    for (String line : proseLines(configurationMarkdown)) {
      String[] cells = line.split("\\|");
      if (!line.startsWith("|") || cells.length < 3) {
        continue;
      }
      String cell = cells[2].strip();
      Matcher code = FIRST_CODE_SPAN.matcher(cell);
      String stated = code.lookingAt() ? code.group(1) : cell.startsWith("*(") ? "" : cell;
      settingsIn(cells[1]).forEach(setting -> defaults.put(setting, stated));
    }
    return defaults;
  }

  static Set<String> settingsIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher setting = SETTING.matcher(text);
    while (setting.find()) {
      names.add(setting.group());
    }
    return names;
  }

  /** The lines outside fenced code blocks. */
  private static List<String> proseLines(String markdown) {
    List<String> lines = new ArrayList<>();
    String fence = null;
    for (String line : markdown.split("\n", -1)) {
      String trimmed = line.strip();
      if (fence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
        fence = trimmed.substring(0, 3);
      } else if (fence != null && trimmed.startsWith(fence)) {
        fence = null;
      } else if (fence == null) {
        lines.add(line);
      }
    }
    return lines;
  }

  private static boolean isSource(Path file) {
    String name = file.getFileName().toString();
    return SOURCE_EXTENSIONS.stream().anyMatch(name::endsWith);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
