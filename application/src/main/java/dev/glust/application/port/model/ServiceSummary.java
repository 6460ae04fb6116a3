package dev.glust.application.port.model;

/** A service seen in a time range, with how many spans and log records it sent there. */
public record ServiceSummary(String name, long spanCount, long logCount) {}
