package dev.glust.bootstrap;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Self-tracing from its settings: off (a no-op) unless an endpoint is configured. */
@Factory
class SelfTracingFactory {

  @Singleton
  @Bean(preDestroy = "close")
  SelfTracing selfTracing(SelfTracingConfig config) {
    return SelfTracing.start(
        new SelfTracing.Settings(
            config.endpoint().strip(),
            config.serviceName(),
            SelfTracing.Settings.parseHeaders(config.headers()),
            config.sampleRatio(),
            config.exportDelay()));
  }
}
