package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.tenant.IngestRate;
import dev.glust.application.tenant.Retention;
import dev.glust.application.tenant.TenantLimits;
import dev.glust.application.tenant.TenantPolicies;
import dev.glust.domain.tenant.TenantId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantsFileTest {
  static final String EXAMPLE =
      """
      defaults:
        ingest: { records_per_second: 50000, bytes_per_second: 50MB, burst_seconds: 2 }
        max_active_series: 100000
      tenants:
        acme:
          ingest: { records_per_second: 5000 }
          max_active_series: 10000
          retention: { traces: 7d, logs: 3d, metrics: 30d }
        beta:
          retention: { logs: 12h }
      """;

  @Test
  void theDocumentedExampleReadsWithTenantsOverridingTheDefaultsFieldByField() {
    TenantPolicies policies = TenantsFile.parse(EXAMPLE);

    assertThat(policies.defaults())
        .isEqualTo(new TenantLimits(new IngestRate(50_000, 50e6, 2), 100_000, Retention.GLOBAL));
    assertThat(policies.of(new TenantId("acme")))
        .isEqualTo(
            new TenantLimits(
                new IngestRate(5000, 50e6, 2),
                10_000,
                new Retention(
                    Optional.of(Duration.ofDays(7)),
                    Optional.of(Duration.ofDays(3)),
                    Optional.of(Duration.ofDays(30)))));
    assertThat(policies.of(new TenantId("beta")).retention().logs()).contains(Duration.ofHours(12));
    assertThat(policies.of(new TenantId("beta")).maxActiveSeries()).isEqualTo(100_000);
    assertThat(policies.of(new TenantId("gamma"))).isEqualTo(policies.defaults());
  }

  @Test
  void anEmptyFileMeansNoLimitsAndSizesTakeUnits() {
    assertThat(TenantsFile.parse("")).isEqualTo(TenantPolicies.NONE);
    assertThat(TenantsFile.size("1KiB", "x")).isEqualTo(1024);
    assertThat(TenantsFile.size("1.5 GB", "x")).isEqualTo(1.5e9);
    assertThat(TenantsFile.size(2048, "x")).isEqualTo(2048);
  }

  @Test
  void everyMistakeIsNamedWithWhereItIs() {
    assertThatThrownBy(
            () -> TenantsFile.parse("tenants:\n  acme:\n    ingest: { record_per_second: 5 }"))
        .hasMessageStartingWith("tenants.acme.ingest: unknown key record_per_second (allowed:");
    assertThatThrownBy(() -> TenantsFile.parse("tenants:\n  acme:\n    max_active_series: -1"))
        .hasMessageStartingWith("tenants.acme: max_active_series must be 0 (no limit)");
    assertThatThrownBy(() -> TenantsFile.parse("tenants:\n  acme:\n    retention: { logs: soon }"))
        .hasMessage("tenants.acme.retention.logs: soon is not a duration (7d, 12h, 30m)");
    assertThatThrownBy(() -> TenantsFile.parse("defaults:\n  ingest: { bytes_per_second: lots }"))
        .hasMessageStartingWith("defaults.ingest.bytes_per_second: lots is not a size");
    assertThatThrownBy(() -> TenantsFile.parse("tenants:\n  'a b': {}"))
        .hasMessageStartingWith("tenants.a b: ");
    assertThatThrownBy(() -> TenantsFile.parse("defaults:\n  retention: { logs: 1d }"))
        .hasMessageContaining("defaults cannot set a retention");
    assertThatThrownBy(() -> TenantsFile.parse("tenants: [acme]"))
        .hasMessage("tenants: must be a map, not [acme]");
    assertThatThrownBy(() -> TenantsFile.parse("tenants: {")).hasMessageStartingWith("not YAML: ");
  }

  @Test
  void aChangedFileIsSwappedInAndABrokenOneKeepsThePreviousPolicies(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("tenants.yml");
    Files.writeString(file, "tenants:\n  acme:\n    max_active_series: 5\n");
    try (TenantPoliciesFile policies =
        new TenantPoliciesFile(file.toString(), Duration.ofHours(1))) {
      TenantId acme = new TenantId("acme");
      assertThat(policies.get().of(acme).maxActiveSeries()).isEqualTo(5);
      Instant loaded = policies.lastSuccess();

      write(file, "tenants:\n  acme:\n    max_active_series: 7\n", 1);
      policies.reload();
      assertThat(policies.get().of(acme).maxActiveSeries()).isEqualTo(7);
      assertThat(policies.lastReloadSucceeded()).isTrue();
      assertThat(policies.lastSuccess()).isAfterOrEqualTo(loaded);

      write(file, "tenants:\n  acme:\n    max_active_series: many\n", 2);
      policies.reload();
      assertThat(policies.get().of(acme).maxActiveSeries()).isEqualTo(7);
      assertThat(policies.lastReloadSucceeded()).isFalse();

      write(file, "tenants:\n  acme:\n    max_active_series: 9\n", 3);
      policies.reload();
      assertThat(policies.get().of(acme).maxActiveSeries()).isEqualTo(9);
      assertThat(policies.lastReloadSucceeded()).isTrue();
    }
  }

  @Test
  void aBrokenFileAtStartIsAConfigurationError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tenants.yml");
    Files.writeString(file, "defaults: { max_active_series: lots }");
    assertThatThrownBy(() -> new TenantPoliciesFile(file.toString(), Duration.ofSeconds(5)))
        .isInstanceOf(SettingException.class)
        .hasMessage(
            "GLUST_TENANTS=" + file + ": defaults.max_active_series: lots is not a whole number");
  }

  /** New content with a new modification time (file systems may keep whole seconds only). */
  private static void write(Path file, String content, int seconds) throws Exception {
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(seconds * 10L)));
  }
}
