package dev.glust.adapter.query;

import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * {@code {"status": "UP" | "DOWN", "components": {"storage": "UP" | "<problem>"}, "pipelines":
 * {"spans": {...figures}, "logs": {...}}}, "version": "0.1.0"}}: the running Glust's version, shown
 * by the web explorer too
 */
@Serdeable
record HealthBody(
    String status,
    Map<String, String> components,
    Map<String, Map<String, Long>> pipelines,
    String version) {}
