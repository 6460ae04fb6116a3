package dev.glust.bootstrap;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import dev.glust.adapter.postgres.PostgresSettings;

/**
 * The hexagon's rules, as sentences. Each is proven able to fail in ArchitectureRulesCanFailTest.
 */
final class ArchitectureRules {
  static final String DOMAIN = "dev.glust.domain..";
  static final String APPLICATION = "dev.glust.application..";
  static final String OTLP_ADAPTER = "dev.glust.adapter.otlp..";
  static final String QUERY_ADAPTER = "dev.glust.adapter.query..";
  static final String POSTGRES_ADAPTER = "dev.glust.adapter.postgres..";
  static final String KAFKA_ADAPTER = "dev.glust.adapter.kafka..";
  static final String OTLP_MAPPING = "dev.glust.adapter.mapping..";
  static final String BOOTSTRAP = "dev.glust.bootstrap..";
  static final String INBOUND_PORTS = "dev.glust.application.port.in..";
  static final String OUTBOUND_PORTS = "dev.glust.application.port.out..";

  /** Frameworks, wire formats and storage stay outside the core. */
  static final ArchRule CORE_IS_FRAMEWORK_FREE =
      noClasses()
          .that()
          .resideInAnyPackage(DOMAIN, APPLICATION)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.micronaut..",
              "jakarta.inject..",
              "io.opentelemetry..",
              "com.google.protobuf..",
              "io.grpc..",
              "io.netty..",
              "java.sql..",
              "javax.sql..",
              "org.postgresql..",
              "com.zaxxer..",
              "org.flywaydb..",
              "org.apache.kafka..",
              "io.micrometer..",
              "ch.qos.logback..")
          .because("domain and application are plain Java; adapters translate at the edge");

  /** Dependencies point inward: adapters → application → domain; only bootstrap sees adapters. */
  static final ArchRule DEPENDENCIES_POINT_INWARD =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Domain")
          .definedBy(DOMAIN)
          .layer("Application")
          .definedBy(APPLICATION)
          .layer("OTLP adapter")
          .definedBy(OTLP_ADAPTER)
          .layer("Query adapter")
          .definedBy(QUERY_ADAPTER)
          .layer("Postgres adapter")
          .definedBy(POSTGRES_ADAPTER)
          .layer("Kafka adapter")
          .definedBy(KAFKA_ADAPTER)
          .layer("OTLP mapping")
          .definedBy(OTLP_MAPPING)
          .layer("Bootstrap")
          .definedBy(BOOTSTRAP)
          .whereLayer("Bootstrap")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("OTLP adapter")
          .mayOnlyBeAccessedByLayers("Bootstrap")
          .whereLayer("Query adapter")
          .mayOnlyBeAccessedByLayers("Bootstrap")
          .whereLayer("Postgres adapter")
          .mayOnlyBeAccessedByLayers("Bootstrap")
          .whereLayer("Kafka adapter")
          .mayOnlyBeAccessedByLayers("Bootstrap")
          .whereLayer("OTLP mapping")
          .mayOnlyBeAccessedByLayers("OTLP adapter", "Kafka adapter", "Query adapter", "Bootstrap")
          .whereLayer("Application")
          .mayOnlyBeAccessedByLayers(
              "OTLP adapter",
              "Query adapter",
              "Postgres adapter",
              "Kafka adapter",
              "OTLP mapping",
              "Bootstrap")
          .whereLayer("Domain")
          .mayOnlyBeAccessedByLayers(
              "Application",
              "OTLP adapter",
              "Query adapter",
              "Postgres adapter",
              "Kafka adapter",
              "OTLP mapping",
              "Bootstrap");

  /**
   * Kafka is one adapter's business: bootstrap wires it through the adapter's own types, and no
   * other adapter (or the core) builds records, producers or consumers.
   */
  static final ArchRule KAFKA_CLIENT_STAYS_IN_ITS_ADAPTER =
      noClasses()
          .that()
          .resideOutsideOfPackage(KAFKA_ADAPTER)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.kafka..")
          .because("swapping the storage between PostgreSQL and Kafka touches one adapter");

  /**
   * A second storage or inbound adapter must not need to touch the existing ones. The OTLP mapping
   * is the one thing adapters share (the receivers, the Kafka topics and OTLP-speaking APIs use one
   * translation); it depends on no adapter itself.
   */
  static final ArchRule ADAPTERS_ARE_INDEPENDENT =
      slices()
          .matching("dev.glust.adapter.(*)..")
          .should()
          .notDependOnEachOther()
          .ignoreDependency(alwaysTrue(), resideInAPackage(OTLP_MAPPING));

  /**
   * The OTLP mapping translates messages; it knows no transport, so every transport that carries
   * OTLP (gRPC, HTTP, Kafka) can share it.
   */
  static final ArchRule OTLP_MAPPING_KNOWS_NO_TRANSPORT =
      noClasses()
          .that()
          .resideInAPackage(OTLP_MAPPING)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.grpc..",
              "io.netty..",
              "io.micronaut..",
              "org.apache.kafka..",
              "java.net..",
              "java.sql..")
          .because("one translation serves the receivers, the Kafka topics and the query APIs");

  /** Nothing lives outside the map in docs/architecture.md. */
  static final ArchRule EVERY_CLASS_BELONGS_TO_A_LAYER =
      classes()
          .should()
          .resideInAnyPackage(
              DOMAIN,
              APPLICATION,
              OTLP_ADAPTER,
              QUERY_ADAPTER,
              POSTGRES_ADAPTER,
              KAFKA_ADAPTER,
              OTLP_MAPPING,
              BOOTSTRAP);

  /**
   * The two sides of the application meet only in the services and in the shared port model: an
   * inbound port's type does not change because a storage needs another criterion.
   */
  static final ArchRule INBOUND_PORTS_IGNORE_OUTBOUND_PORTS =
      noClasses()
          .that()
          .resideInAPackage(INBOUND_PORTS)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(OUTBOUND_PORTS)
          .because("what callers ask for and what storages answer change for different reasons");

  /** The storage side's contract names no inbound type (shared results live in port.model). */
  static final ArchRule OUTBOUND_PORTS_IGNORE_INBOUND_PORTS =
      noClasses()
          .that()
          .resideInAPackage(OUTBOUND_PORTS)
          .should()
          .dependOnClassesThat()
          .resideInAPackage(INBOUND_PORTS)
          .because("what callers ask for and what storages answer change for different reasons");

  /**
   * HTTP is an inbound adapter's wire format: the application says what happened (refused, rate
   * limited), the adapters say it in headers, status codes or gRPC metadata. ArchUnit does not see
   * string constants, so the rule reads the names that carry such knowledge.
   */
  static final ArchRule APPLICATION_SPEAKS_NO_HTTP =
      noMethods()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage(APPLICATION)
          .should()
          .haveNameMatching("(?i).*(http|header|cookie).*")
          .because("HTTP header names and status codes belong to the adapter that writes them");

  /** No application class is named after, or uses, an HTTP library or concept. */
  static final ArchRule APPLICATION_HAS_NO_HTTP_TYPES =
      noClasses()
          .that()
          .resideInAPackage(APPLICATION)
          .should()
          .haveSimpleNameContaining("Http")
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage("java.net.http..", "jakarta.servlet..", "javax.servlet..")
          .because("HTTP is an inbound adapter's wire format");

  /**
   * Adapters talk to the application through its ports (and use the domain); the rest of the
   * application is its own business. The Kafka writer ingests through the same use cases as the
   * OTLP receivers; receivers without access checks use {@code CheckAccessUseCase.open()}.
   */
  static final ArchRule ADAPTERS_USE_ONLY_PORTS =
      noClasses()
          .that()
          .resideInAPackage("dev.glust.adapter..")
          .should()
          .dependOnClassesThat(
              resideInAPackage(APPLICATION)
                  .and(not(resideInAPackage("dev.glust.application.port.."))))
          .because(
              "an adapter that reaches past the ports breaks when the application's inside moves");

  /**
   * Bootstrap opens storage only through the {@code StorageProvider} GLUST_STORAGE names: of the
   * PostgreSQL adapter it knows only {@code PostgresSettings}, what the embedded PostgreSQL it can
   * launch is described by.
   */
  static final ArchRule BOOTSTRAP_OPENS_STORAGE_BY_PROVIDER =
      noClasses()
          .that()
          .resideInAPackage(BOOTSTRAP)
          .should()
          .dependOnClassesThat(
              resideInAPackage(POSTGRES_ADAPTER).and(not(equivalentTo(PostgresSettings.class))))
          .because("adding or choosing a storage adapter must not touch bootstrap's wiring");

  private ArchitectureRules() {}
}
