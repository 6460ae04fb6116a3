package dev.glust.application.port.out;

import dev.glust.application.port.model.NewestRecords;

/** Finds the newest span and log record in storage; must stay cheap however much is stored. */
public interface FindNewestRecordsPort {
  NewestRecords findNewestRecords(long atOrBeforeUnixNano);
}
