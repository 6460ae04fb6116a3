package dev.glust.domain.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {
  @ParameterizedTest
  @ValueSource(strings = {"default", "acme", "team-a", "Team_B.prod", "0"})
  void acceptsNamesSafeEverywhere(String name) {
    assertThat(new TenantId(name).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", ".", "..", "-a", "a b", "a|b", "a/b", "a'b", "ü", "a\nb"})
  void refusesNamesThatWouldNeedQuoting(String name) {
    assertThatThrownBy(() -> new TenantId(name)).isInstanceOf(InvalidTenantException.class);
  }

  @Test
  void holdsAtMostSixtyFourCharacters() {
    assertThat(new TenantId("t".repeat(TenantId.MAX_LENGTH)).name()).hasSize(64);
    assertThatThrownBy(() -> new TenantId("t".repeat(TenantId.MAX_LENGTH + 1)))
        .isInstanceOf(InvalidTenantException.class);
  }

  @Test
  void refusesNull() {
    assertThatThrownBy(() -> new TenantId(null)).isInstanceOf(InvalidTenantException.class);
  }
}
