package dev.glust.adapter.query;

import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * {@code {"status": "UP" | "DOWN", "components": {"storage": "UP" | "<problem>"}, "pipelines":
 * {"spans": {...figures}, "logs": {...}}}}
 */
@Serdeable
record HealthBody(
    String status, Map<String, String> components, Map<String, Map<String, Long>> pipelines) {}
