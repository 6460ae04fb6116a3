package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.glust.adapter.kafka.KafkaSettings;
import dev.glust.adapter.kafka.violation.KafkaUsingPostgres;
import dev.glust.adapter.mapping.violation.MappingUsingGrpc;
import dev.glust.adapter.mapping.violation.MappingUsingTheKafkaAdapter;
import dev.glust.adapter.otlp.violation.OtlpUsingKafkaClient;
import dev.glust.adapter.otlp.violation.OtlpUsingPostgres;
import dev.glust.adapter.otlp.violation.OtlpUsingTheIngestService;
import dev.glust.adapter.postgres.PostgresSettings;
import dev.glust.adapter.postgres.PostgresStorage;
import dev.glust.application.port.in.violation.InboundPortUsingOutboundPort;
import dev.glust.application.port.out.violation.OutboundPortUsingInboundPort;
import dev.glust.application.violation.ApplicationHttpClient;
import dev.glust.application.violation.ApplicationSpeakingHttp;
import dev.glust.application.violation.ApplicationUsingKafkaAdapter;
import dev.glust.bootstrap.violation.BootstrapOpeningPostgres;
import dev.glust.domain.violation.DomainUsingJdbc;
import dev.glust.stray.StrayClass;
import org.junit.jupiter.api.Test;

/** A rule that cannot fail proves nothing: each one is shown a class that breaks it. */
class ArchitectureRulesCanFailTest {
  private static void assertViolated(ArchRule rule, Class<?>... classes) {
    JavaClasses imported = new ClassFileImporter().importClasses(classes);
    assertThatThrownBy(() -> rule.check(imported))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(classes[0].getSimpleName());
  }

  @Test
  void aDomainClassUsingJdbcBreaksTheFrameworkFreeRule() {
    assertViolated(ArchitectureRules.CORE_IS_FRAMEWORK_FREE, DomainUsingJdbc.class);
  }

  @Test
  void aDomainClassUsingAnAdapterBreaksTheInwardRule() {
    assertViolated(
        ArchitectureRules.DEPENDENCIES_POINT_INWARD, DomainUsingJdbc.class, PostgresSettings.class);
  }

  @Test
  void anAdapterUsingAnotherBreaksTheIndependenceRule() {
    assertViolated(
        ArchitectureRules.ADAPTERS_ARE_INDEPENDENT, OtlpUsingPostgres.class, PostgresStorage.class);
  }

  @Test
  void aClassOutsideEveryLayerBreaksTheMapRule() {
    assertViolated(ArchitectureRules.EVERY_CLASS_BELONGS_TO_A_LAYER, StrayClass.class);
  }

  @Test
  void anotherAdapterUsingTheKafkaClientBreaksTheKafkaRule() {
    assertViolated(ArchitectureRules.KAFKA_CLIENT_STAYS_IN_ITS_ADAPTER, OtlpUsingKafkaClient.class);
  }

  @Test
  void theApplicationUsingTheKafkaAdapterBreaksTheInwardRule() {
    assertViolated(
        ArchitectureRules.DEPENDENCIES_POINT_INWARD,
        ApplicationUsingKafkaAdapter.class,
        KafkaSettings.class);
  }

  @Test
  void theKafkaAdapterUsingThePostgresAdapterBreaksTheIndependenceRule() {
    assertViolated(
        ArchitectureRules.ADAPTERS_ARE_INDEPENDENT,
        KafkaUsingPostgres.class,
        PostgresStorage.class);
  }

  @Test
  void anInboundPortUsingAnOutboundPortBreaksThePortRule() {
    assertViolated(
        ArchitectureRules.INBOUND_PORTS_IGNORE_OUTBOUND_PORTS, InboundPortUsingOutboundPort.class);
  }

  @Test
  void anOutboundPortUsingAnInboundPortBreaksThePortRule() {
    assertViolated(
        ArchitectureRules.OUTBOUND_PORTS_IGNORE_INBOUND_PORTS, OutboundPortUsingInboundPort.class);
  }

  @Test
  void anApplicationMethodNamingHeadersBreaksTheNoHttpRule() {
    assertViolated(ArchitectureRules.APPLICATION_SPEAKS_NO_HTTP, ApplicationSpeakingHttp.class);
  }

  @Test
  void anApplicationClassNamedHttpBreaksTheNoHttpTypesRule() {
    assertViolated(ArchitectureRules.APPLICATION_HAS_NO_HTTP_TYPES, ApplicationHttpClient.class);
  }

  @Test
  void aReceiverCallingAServiceBreaksThePortsOnlyRule() {
    assertViolated(ArchitectureRules.ADAPTERS_USE_ONLY_PORTS, OtlpUsingTheIngestService.class);
  }

  @Test
  void bootstrapOpeningPostgresItselfBreaksTheProviderRule() {
    assertViolated(
        ArchitectureRules.BOOTSTRAP_OPENS_STORAGE_BY_PROVIDER, BootstrapOpeningPostgres.class);
  }

  @Test
  void theOtlpMappingUsingGrpcBreaksTheNoTransportRule() {
    assertViolated(ArchitectureRules.OTLP_MAPPING_KNOWS_NO_TRANSPORT, MappingUsingGrpc.class);
  }

  @Test
  void theOtlpMappingUsingAnAdapterBreaksTheIndependenceAndInwardRules() {
    assertViolated(
        ArchitectureRules.ADAPTERS_ARE_INDEPENDENT,
        MappingUsingTheKafkaAdapter.class,
        KafkaSettings.class);
    assertViolated(
        ArchitectureRules.DEPENDENCIES_POINT_INWARD,
        MappingUsingTheKafkaAdapter.class,
        KafkaSettings.class);
  }
}
