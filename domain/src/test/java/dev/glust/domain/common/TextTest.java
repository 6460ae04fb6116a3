package dev.glust.domain.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {
  @Test
  void cleanStringsAreReturnedAsTheyAre() {
    String s = "plain ✓ 😀";
    assertThat(Text.clean(s)).isSameAs(s);
  }

  @Test
  void nulAndLoneSurrogatesBecomeTheReplacementCharacter() {
    assertThat(Text.clean("a\u0000b")).isEqualTo("a\uFFFDb");
    assertThat(Text.clean("x\uD800y")).isEqualTo("x\uFFFDy");
    assertThat(Text.clean("\uDC00")).isEqualTo("\uFFFD");
    assertThat(Text.clean("ok😀\uD83D")).isEqualTo("ok😀\uFFFD");
  }

  @Test
  void nullBecomesEmpty() {
    assertThat(Text.clean(null)).isEmpty();
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    assertThat(Text.truncate("ab😀", 3)).isEqualTo("ab");
    assertThat(Text.truncate("abcdef", 3)).isEqualTo("abc");
    assertThat(Text.truncate("abc", -1)).isEqualTo("abc");
  }
}
