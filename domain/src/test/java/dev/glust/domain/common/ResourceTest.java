package dev.glust.domain.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResourceTest {
  @Test
  void serviceNameComesFromTheResource() {
    Resource r = new Resource(Attributes.of(Attribute.of("service.name", "checkout")), "");
    assertThat(r.serviceName()).isEqualTo("checkout");
  }

  @Test
  void missingOrBlankServiceNameIsUnknownService() {
    assertThat(Resource.EMPTY.serviceName()).isEqualTo("unknown_service");
    Resource blank = new Resource(Attributes.of(Attribute.of("service.name", "  ")), "");
    assertThat(blank.serviceName()).isEqualTo("unknown_service");
    Resource nonString = new Resource(Attributes.of(Attribute.of("service.name", 7L)), "");
    assertThat(nonString.serviceName()).isEqualTo("unknown_service");
  }

  @Test
  void unknownServiceNamesTheExecutableWhenKnown() {
    Resource r = new Resource(Attributes.of(Attribute.of("process.executable.name", "java")), "");
    assertThat(r.serviceName()).isEqualTo("unknown_service:java");
  }

  @Test
  void overlongServiceNamesAreCutToTheIndexableLength() {
    String huge = "\uD83D\uDE00".repeat(2000); // 4 bytes each in UTF-8
    Resource r =
        new Resource(
            Attributes.of(Attribute.of("service.name", huge), Attribute.of("host.name", "h")), "");
    assertThat(r.serviceNameFits()).isFalse();
    assertThat(r.serviceName()).hasSize(RecordLimits.MAX_NAME_LENGTH).startsWith("\uD83D\uDE00");
    assertThat(r.serviceName().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);

    Resource limited = RecordLimits.OTEL_DEFAULTS.apply(r);
    assertThat(limited.serviceNameFits()).isTrue();
    assertThat(limited.attributes().get("service.name"))
        .contains(AnyValue.of(huge.substring(0, RecordLimits.MAX_NAME_LENGTH)));
    assertThat(limited.attributes().get("host.name")).contains(AnyValue.of("h"));
    assertThat(limited.attributes().droppedCount()).isZero();

    Resource unknown =
        new Resource(Attributes.of(Attribute.of("process.executable.name", huge)), "");
    assertThat(unknown.serviceName()).hasSize(RecordLimits.MAX_NAME_LENGTH);
  }

  @Test
  void recordLimitsApplyToResourceAndScopeAttributes() {
    RecordLimits limits = new RecordLimits(1, 2);
    Resource r =
        new Resource(
            Attributes.of(Attribute.of("service.name", "checkout"), Attribute.of("b", "x")), "");
    Resource limited = limits.apply(r);
    assertThat(limited.attributes().entries()).containsExactly(Attribute.of("service.name", "ch"));
    assertThat(limited.attributes().droppedCount()).isEqualTo(1);

    InstrumentationScope scope =
        new InstrumentationScope(
            "lib", "1", Attributes.of(Attribute.of("a", "abc"), Attribute.of("b", "x")), "");
    InstrumentationScope limitedScope = limits.apply(scope);
    assertThat(limitedScope.attributes().entries()).containsExactly(Attribute.of("a", "ab"));
    assertThat(limitedScope.name()).isEqualTo("lib");
    assertThat(RecordLimits.OTEL_DEFAULTS.apply(scope)).isSameAs(scope);
    assertThat(RecordLimits.OTEL_DEFAULTS.apply(limited)).isSameAs(limited);
  }
}
