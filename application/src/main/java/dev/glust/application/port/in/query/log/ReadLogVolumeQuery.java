package dev.glust.application.port.in.query.log;

import dev.glust.application.port.model.LogVolumeSearch;

/** How many log records match a search, per time slice and severity level (a histogram). */
public interface ReadLogVolumeQuery {
  LogVolume readLogVolume(LogVolumeSearch search);
}
