package dev.glust.stray;

/** Breaks a rule on purpose: a class in no layer. */
public final class StrayClass {}
