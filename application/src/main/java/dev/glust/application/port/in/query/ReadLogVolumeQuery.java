package dev.glust.application.port.in.query;

/** How many log records match a search, per time slice and severity level (a histogram). */
public interface ReadLogVolumeQuery {
  LogVolume readLogVolume(LogVolumeSearch search);
}
