package dev.glust.application.port.out;

import java.util.Optional;

/** Asks storage whether it is reachable and its schema is current. */
public interface ProbeStoragePort {
  /** Empty when healthy, else what is wrong (for operators, never sent to OTLP clients). */
  Optional<String> problem();
}
