package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The files under deploy/ (compose, Kubernetes) stay true to the service and the image: they parse,
 * the probes and ports are the ones Glust serves, every GLUST_* variable they set is a setting with
 * an allowed value, the image they name is this version's, and the pod runs as the image's user.
 * Nothing here starts a container: packaging/test-image.sh does that.
 */
class DeploymentFilesTest {
  private static final Path ROOT = DocumentationChecker.repositoryRoot();
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
  private static final Pattern IMAGE_REFERENCE = Pattern.compile("localhost/glust:([^}\\s\"]+)");

  @Test
  void everyYamlFileUnderDeployParses() {
    List<Path> files = yamlFiles(DEPLOY);
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      assertThat(documents(file)).as(file.toString()).isNotEmpty().allMatch(Map.class::isInstance);
    }
  }

  @Test
  void kustomizationListsEveryManifest() {
    Map<String, Object> kustomization = documents(KUBERNETES.resolve("kustomization.yaml")).get(0);
    Set<String> manifests =
        yamlFiles(KUBERNETES).stream()
            .map(file -> file.getFileName().toString())
            .filter(name -> !name.equals("kustomization.yaml"))
            .collect(Collectors.toSet());
    assertThat(list(kustomization, "resources")).containsExactlyInAnyOrderElementsOf(manifests);
  }

  @Test
  void probesAndPortsAreTheOnesGlustServes() {
    Map<String, Object> container = glustContainer();
    Map<String, Integer> containerPorts = new LinkedHashMap<>();
    for (Map<String, Object> port : maps(container, "ports")) {
      containerPorts.put((String) port.get("name"), (Integer) port.get("containerPort"));
    }
    Map<String, String> settings = settings();
    assertThat(containerPorts)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "otlp-grpc", port(settings, Setting.OTLP_GRPC_PORT),
                "otlp-http", port(settings, Setting.OTLP_HTTP_PORT),
                "http", port(settings, Setting.HTTP_PORT)));

    Map<String, String> probePaths = new LinkedHashMap<>();
    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
      Map<String, Object> httpGet = map(map(container, probe), "httpGet");
      assertThat(httpGet.get("port")).as(probe + " port").isEqualTo("http");
      probePaths.put(probe, (String) httpGet.get("path"));
    }
    assertThat(probePaths)
        .containsEntry("livenessProbe", "/health/liveness")
        .containsEntry("readinessProbe", "/health/readiness");

    Map<String, Object> service = manifest("Service");
    for (Map<String, Object> port : maps(map(service, "spec"), "ports")) {
      String target = String.valueOf(port.get("targetPort"));
      assertThat(containerPorts).as("Service targetPort").containsKey(target);
      assertThat(port.get("port"))
          .as("Service port " + port.get("name"))
          .isEqualTo(containerPorts.get(target));
    }
    assertThat(maps(map(service, "spec"), "ports")).hasSize(containerPorts.size());
    assertThat(map(map(service, "spec"), "selector"))
        .isEqualTo(map(map(map(deploymentSpec(), "template"), "metadata"), "labels"));
  }

  @Test
  void podRunsAsTheImagesUserWithItsDataDirectoryAndTimeToDrain() throws IOException {
    String buildScript = Files.readString(ROOT.resolve("packaging/build-image.sh"));
    Map<String, Object> podSpec = map(map(deploymentSpec(), "template"), "spec");
    assertThat(map(podSpec, "securityContext").get("runAsUser"))
        .isEqualTo(Integer.parseInt(scriptVariable(buildScript, "uid")));
    assertThat(maps(glustContainer(), "volumeMounts"))
        .extracting(mount -> mount.get("mountPath"))
        .contains(scriptVariable(buildScript, "data_dir"), "/tmp");
    long grace = seconds(settings().getOrDefault(Setting.SHUTDOWN_GRACE.variable, "20s"));
    assertThat(((Number) podSpec.get("terminationGracePeriodSeconds")).longValue())
        .as("terminationGracePeriodSeconds above GLUST_SHUTDOWN_GRACE")
        .isGreaterThan(grace);
    assertThat(map(map(glustContainer(), "resources"), "requests")).containsKeys("cpu", "memory");
  }

  @Test
  void everySettingTheFilesSetIsKnownAndAllowed() {
    Map<String, String> set = new LinkedHashMap<>(settings());
    for (Path compose : yamlFiles(DEPLOY.resolve("compose"))) {
      for (Map<String, Object> service : composeServices(compose).values()) {
        Object environment = service.get("environment");
        if (environment instanceof Map<?, ?> variables) {
          variables.forEach((name, value) -> set.put((String) name, String.valueOf(value)));
        }
      }
    }
    Map<String, Setting> known =
        Stream.of(Setting.values())
            .collect(Collectors.toMap(setting -> setting.variable, setting -> setting));
    set.forEach(
        (name, value) -> {
          if (name.startsWith("GLUST_")) {
            assertThat(known).as("settings").containsKey(name);
            if (!value.contains("${")) { // compose fills it in
              known.get(name).check(value);
            }
          }
        });
    assertThat(set).containsKeys("GLUST_DB_URL", "GLUST_MODE");
  }

  @Test
  void everyImageReferenceIsThisVersion() throws IOException {
    String version = projectVersion();
    List<String> references = new ArrayList<>();
    for (Path file : yamlFiles(DEPLOY)) {
      Matcher reference = IMAGE_REFERENCE.matcher(Files.readString(file));
      while (reference.find()) {
        references.add(file.getFileName() + ": " + reference.group(1));
      }
    }
    assertThat(references).isNotEmpty().allMatch(reference -> reference.endsWith(": " + version));
    assertThat(list(documents(KUBERNETES.resolve("kustomization.yaml")).get(0), "images"))
        .singleElement()
        .extracting(image -> ((Map<?, ?>) image).get("newTag"))
        .isEqualTo(version);
  }

  /** "20s" → 20, "1m" → 60: the forms the files use. */
  private static long seconds(String duration) {
    long amount = Long.parseLong(duration.substring(0, duration.length() - 1));
    return duration.endsWith("m") ? amount * 60 : amount;
  }

  private static int port(Map<String, String> settings, Setting setting) {
    return Integer.parseInt(settings.getOrDefault(setting.variable, setting.defaultValue));
  }

  private static String scriptVariable(String script, String name) {
    Matcher assignment = Pattern.compile("(?m)^" + name + "=(\\S+)$").matcher(script);
    assertThat(assignment.find()).as(name + "= in build-image.sh").isTrue();
    return assignment.group(1);
  }

  private static String projectVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in =
        DeploymentFilesTest.class.getResourceAsStream("/glust-version.properties")) {
      properties.load(in);
    }
    return properties.getProperty("version");
  }

  /** The ConfigMap's and the Secret's data: the pod's settings. */
  private static Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String source : List.of("ConfigMap", "Secret")) {
      Map<String, Object> manifest = manifest(source);
      Object data =
          manifest.containsKey("stringData") ? manifest.get("stringData") : manifest.get("data");
      ((Map<?, ?>) data)
          .forEach((name, value) -> settings.put((String) name, String.valueOf(value)));
    }
    List<String> referenced = new ArrayList<>();
    for (Map<String, Object> from : maps(glustContainer(), "envFrom")) {
      from.values().forEach(ref -> referenced.add((String) ((Map<?, ?>) ref).get("name")));
    }
    assertThat(referenced)
        .containsExactlyInAnyOrder(name(manifest("ConfigMap")), name(manifest("Secret")));
    return settings;
  }

  private static String name(Map<String, Object> manifest) {
    return (String) map(manifest, "metadata").get("name");
  }

  private static Map<String, Object> deploymentSpec() {
    return map(manifest("Deployment"), "spec");
  }

  private static Map<String, Object> glustContainer() {
    List<Map<String, Object>> containers =
        maps(map(map(deploymentSpec(), "template"), "spec"), "containers");
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  /** The one manifest of this kind under deploy/kubernetes. */
  private static Map<String, Object> manifest(String kind) {
    List<Map<String, Object>> found =
        yamlFiles(KUBERNETES).stream()
            .flatMap(file -> documents(file).stream())
            .filter(document -> kind.equals(document.get("kind")))
            .toList();
    assertThat(found).as("manifests of kind " + kind).hasSize(1);
    return found.get(0);
  }

  private static Map<String, Map<String, Object>> composeServices(Path compose) {
    Map<String, Map<String, Object>> services = new LinkedHashMap<>();
    Object declared = documents(compose).get(0).get("services");
    if (declared instanceof Map<?, ?> byName) {
      byName.forEach((name, service) -> services.put((String) name, cast(service)));
    }
    return services;
  }

  private static List<Map<String, Object>> documents(Path file) {
    try {
      List<Map<String, Object>> documents = new ArrayList<>();
      for (Object document : new Yaml().loadAll(Files.readString(file))) {
        if (document != null) {
          documents.add(cast(document));
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(file -> file.toString().endsWith(".yml") || file.toString().endsWith(".yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    assertThat(parent).as("parent of " + key).containsKey(key);
    return cast(parent.get(key));
  }

  private static List<Map<String, Object>> maps(Map<String, Object> parent, String key) {
    return list(parent, key).stream().map(DeploymentFilesTest::<Map<String, Object>>cast).toList();
  }

  private static List<Object> list(Map<String, Object> parent, String key) {
    assertThat(parent).as("parent of " + key).containsKey(key);
    return cast(parent.get(key));
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }
}
