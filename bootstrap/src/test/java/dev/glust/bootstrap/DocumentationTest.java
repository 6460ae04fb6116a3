package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation stays true to the repository: README.md and docs/ link only to files and
 * headings that exist, and docs/configuration.md documents every {@code GLUST_*} setting the code
 * reads and none it does not. A setting added on a branch without its line in the table fails here.
 */
class DocumentationTest {
  private static final Path ROOT = DocumentationChecker.repositoryRoot();

  @Test
  void everyRelativeLinkOfTheReadmeAndTheDocsResolves() throws IOException {
    assertThat(DocumentationChecker.brokenLinks(ROOT, markdownFiles())).isEmpty();
  }

  @Test
  void everySettingTheCodeReadsIsDocumentedAndNoOtherIs() {
    Set<String> read = DocumentationChecker.settingsReadByCode(ROOT);
    Set<String> documented =
        DocumentationChecker.settingsDocumented(
            DocumentationChecker.read(ROOT.resolve("docs/configuration.md")));
    assertThat(read).as("settings the main sources read").contains("GLUST_DB_URL");
    assertThat(difference(read, documented))
        .as("settings read by the code but missing in docs/configuration.md")
        .isEmpty();
    assertThat(difference(documented, read))
        .as("settings in docs/configuration.md that no code reads")
        .isEmpty();
  }

  @Test
  void everySettingIsDocumentedWithItsDefault() {
    Map<String, String> documented =
        DocumentationChecker.defaultsDocumented(
            DocumentationChecker.read(ROOT.resolve("docs/configuration.md")));
    Map<String, String> defaults =
        Arrays.stream(Setting.values())
            .collect(
                Collectors.toMap(setting -> setting.variable, setting -> setting.defaultValue));
    assertThat(documented).containsAllEntriesOf(defaults);
  }

  /** The checker itself, on small examples: each check can fail. */
  @Nested
  class Checker {
    @Test
    void aLinkToAMissingFileOrHeadingIsBroken(@TempDir Path root) throws IOException {
      Files.createDirectories(root.resolve("docs"));
      Files.writeString(
          root.resolve("docs/guide.md"),
          "# Guide\n\n## Hot and sealed partitions\n\n## Step\n\n## Step\n");
      Files.writeString(
          root.resolve("README.md"),
          String.join(
              "\n",
              "# Title",
              "[ok](docs/guide.md) [ok](docs/guide.md#hot-and-sealed-partitions) [ok](#title)",
              "[ok, repeated heading](docs/guide.md#step-1) [ok](https://example.com/x.md)",
              "[missing file](docs/gone.md) [missing heading](docs/guide.md#cold)",
              "[missing here](#nowhere) ![missing image](docs/shot.png)",
              "`[in code](docs/gone-too.md)`",
              "```sh",
              "# [in a block](docs/gone-too.md)",
              "```"));

      List<String> broken =
          DocumentationChecker.brokenLinks(root, List.of(root.resolve("README.md")));

      assertThat(broken)
          .containsExactly(
              "README.md: link docs/gone.md: no file docs/gone.md",
              "README.md: link docs/guide.md#cold: no heading with anchor #cold",
              "README.md: link #nowhere: no heading with anchor #nowhere",
              "README.md: link docs/shot.png: no file docs/shot.png");
    }

    @Test
    void headingsGetGitHubAnchors() {
      assertThat(
              DocumentationChecker.headingAnchors(
                  String.join(
                      "\n",
                      "# Glust",
                      "## What `mvn -B verify` checks",
                      "## Jaeger-compatible API (Grafana, Jaeger UI clients)",
                      "## Sizing (from the figures above; 2 shared cores, so per core roughly half)",
                      "## Tests",
                      "### Tests",
                      "```sh",
                      "# → {} is a shell comment, not a heading",
                      "```")))
          .containsExactly(
              "glust",
              "what-mvn--b-verify-checks",
              "jaeger-compatible-api-grafana-jaeger-ui-clients",
              "sizing-from-the-figures-above-2-shared-cores-so-per-core-roughly-half",
              "tests",
              "tests-1");
    }

    @Test
    void aSettingReadButNotDocumentedOrDocumentedButNotReadIsFound(@TempDir Path root)
        throws IOException {
      Path resources = Files.createDirectories(root.resolve("service/src/main/resources"));
      Path java = Files.createDirectories(root.resolve("service/src/main/java/x"));
      Path tests = Files.createDirectories(root.resolve("service/src/test/java/x"));
      Files.writeString(resources.resolve("application.yml"), "port: ${GLUST_PORT:8080}\n");
      Files.writeString(java.resolve("Main.java"), "var d = System.getenv(\"GLUST_DATA_DIR\");\n");
      Files.writeString(tests.resolve("MainTest.java"), "System.getenv(\"GLUST_TEST_DB\");\n");
      String configuration =
          String.join(
              "\n",
              "Mentioned in prose only: GLUST_ELSEWHERE.",
              "| Variable | Default | Meaning |",
              "| --- | --- | --- |",
              "| **Group** | | |",
              "| `GLUST_PORT` | `8080` | Port; unlike `GLUST_MENTIONED` in this cell. |",
              "| `GLUST_GONE`, `GLUST_ALSO_GONE` | | Read by nothing. |");

      Set<String> read = DocumentationChecker.settingsReadByCode(root);
      Set<String> documented = DocumentationChecker.settingsDocumented(configuration);

      assertThat(read).containsExactly("GLUST_DATA_DIR", "GLUST_PORT");
      assertThat(documented).containsExactly("GLUST_ALSO_GONE", "GLUST_GONE", "GLUST_PORT");
      assertThat(difference(read, documented)).containsExactly("GLUST_DATA_DIR");
      assertThat(difference(documented, read)).containsExactly("GLUST_ALSO_GONE", "GLUST_GONE");
    }

    @Test
    void aRowStatesItsDefaultInCodeOrAsUnsetInItalics() {
      assertThat(
              DocumentationChecker.defaultsDocumented(
                  String.join(
                      "\n",
                      "| Variable | Default | Meaning |",
                      "| --- | --- | --- |",
                      "| `GLUST_A`, `GLUST_B` | `7d` (a week) | Age. |",
                      "| `GLUST_C` | *(unset: `GLUST_A`)* | Other age. |",
                      "| `GLUST_D` | one per core | Writers. |")))
          .containsExactlyInAnyOrderEntriesOf(
              Map.of("GLUST_A", "7d", "GLUST_B", "7d", "GLUST_C", "", "GLUST_D", "one per core"));
    }
  }

  private static Set<String> difference(Set<String> all, Set<String> without) {
    Set<String> rest = new TreeSet<>(all);
    rest.removeAll(without);
    return rest;
  }

  /** README.md and every Markdown file under docs/. */
  private static List<Path> markdownFiles() throws IOException {
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      return Stream.concat(
              Stream.of(ROOT.resolve("README.md")),
              docs.filter(path -> path.toString().endsWith(".md")).sorted())
          .toList();
    }
  }
}
