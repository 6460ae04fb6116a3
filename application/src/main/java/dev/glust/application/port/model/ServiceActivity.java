package dev.glust.application.port.model;

/**
 * What a service sent in a time range: spans (and how many had status ERROR) and log records (and
 * how many were ERROR or FATAL).
 */
public record ServiceActivity(
    String name, long spanCount, long errorSpanCount, long logCount, long errorLogCount) {}
