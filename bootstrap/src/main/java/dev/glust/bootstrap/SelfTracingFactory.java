package dev.glust.bootstrap;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Self-tracing from its settings: off (a no-op) unless an endpoint is configured. */
@Factory
class SelfTracingFactory {

  @Singleton
  @Bean(preDestroy = "close")
  SelfTracing selfTracing(
      @Value("${glust.self-tracing.endpoint:}") String endpoint,
      @Value("${glust.self-tracing.service-name:glust}") String serviceName,
      @Value("${glust.self-tracing.headers:}") String headers,
      @Value("${glust.self-tracing.sample-ratio:1.0}") double sampleRatio,
      @Value("${glust.self-tracing.export-delay:5s}") Duration exportDelay) {
    return SelfTracing.start(
        new SelfTracing.Settings(
            endpoint.strip(),
            serviceName,
            SelfTracing.Settings.parseHeaders(headers),
            sampleRatio,
            exportDelay));
  }
}
