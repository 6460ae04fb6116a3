package dev.glust.domain.common;

import static org.assertj.core.api.Assertions.assertThat;

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
}
