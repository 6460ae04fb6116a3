package dev.glust.application.port.model;

import dev.glust.domain.trace.SpanKind;

/** A span name a service uses, with the kind it is recorded as. */
public record Operation(String name, SpanKind kind) {}
