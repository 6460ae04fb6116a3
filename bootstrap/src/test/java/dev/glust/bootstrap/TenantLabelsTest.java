package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.domain.tenant.TenantId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantLabelsTest {
  @Test
  void theFirstTenantsKeepTheirNameAndTheRestAreOther() {
    TenantLabels labels = new TenantLabels();
    for (int i = 0; i < TenantLabels.MAX_NAMED; i++) {
      assertThat(labels.of(new TenantId("t" + i))).isEqualTo("t" + i);
    }
    assertThat(labels.of(new TenantId("late"))).isEqualTo("other");
    assertThat(labels.of(new TenantId("t0"))).isEqualTo("t0");
    assertThat(labels.of(Optional.empty())).isEqualTo("unknown");
  }
}
