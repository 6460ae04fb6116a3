package dev.glust.application.port.in.query;

/** A service seen in a time range, with how many spans and log records it sent there. */
public record ServiceSummary(String name, long spanCount, long logCount) {}
