package dev.glust.application.service;

import java.time.Duration;

/** Durations written back the way people write them in the settings: {@code 7d}, {@code 36h}. */
final class SettingDuration {
  private SettingDuration() {}

  static String label(Duration duration) {
    if (duration.toNanosPart() != 0) {
      return duration.toString();
    }
    long seconds = duration.toSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
