package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hexagon's rules, checked on every production class of every module. */
class ArchitectureTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.glust");
    // An empty import would make every rule pass vacuously.
    assertThat(production.stream().map(c -> c.getPackageName()).distinct())
        .contains(
            "dev.glust.domain.common",
            "dev.glust.application.service",
            "dev.glust.adapter.otlp",
            "dev.glust.adapter.query",
            "dev.glust.adapter.postgres",
            "dev.glust.adapter.kafka",
            "dev.glust.adapter.mapping.otlp",
            "dev.glust.bootstrap");
  }

  @Test
  void coreIsFrameworkFree() {
    ArchitectureRules.CORE_IS_FRAMEWORK_FREE.check(production);
  }

  @Test
  void dependenciesPointInward() {
    ArchitectureRules.DEPENDENCIES_POINT_INWARD.check(production);
  }

  @Test
  void adaptersAreIndependent() {
    ArchitectureRules.ADAPTERS_ARE_INDEPENDENT.check(production);
  }

  @Test
  void kafkaClientStaysInItsAdapter() {
    ArchitectureRules.KAFKA_CLIENT_STAYS_IN_ITS_ADAPTER.check(production);
  }

  @Test
  void everyClassBelongsToALayer() {
    ArchitectureRules.EVERY_CLASS_BELONGS_TO_A_LAYER.check(production);
  }

  @Test
  void inboundPortsIgnoreOutboundPorts() {
    ArchitectureRules.INBOUND_PORTS_IGNORE_OUTBOUND_PORTS.check(production);
  }

  @Test
  void outboundPortsIgnoreInboundPorts() {
    ArchitectureRules.OUTBOUND_PORTS_IGNORE_INBOUND_PORTS.check(production);
  }

  @Test
  void applicationSpeaksNoHttp() {
    ArchitectureRules.APPLICATION_SPEAKS_NO_HTTP.check(production);
  }

  @Test
  void applicationHasNoHttpTypes() {
    ArchitectureRules.APPLICATION_HAS_NO_HTTP_TYPES.check(production);
  }

  @Test
  void otlpMappingKnowsNoTransport() {
    ArchitectureRules.OTLP_MAPPING_KNOWS_NO_TRANSPORT.check(production);
  }

  @Test
  void adaptersUseOnlyPorts() {
    ArchitectureRules.ADAPTERS_USE_ONLY_PORTS.check(production);
  }

  @Test
  void bootstrapOpensStorageByProvider() {
    ArchitectureRules.BOOTSTRAP_OPENS_STORAGE_BY_PROVIDER.check(production);
  }
}
