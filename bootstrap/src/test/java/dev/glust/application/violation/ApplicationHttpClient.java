package dev.glust.application.violation;

/** Breaks a rule on purpose: an application class named after the wire format. */
public final class ApplicationHttpClient {}
