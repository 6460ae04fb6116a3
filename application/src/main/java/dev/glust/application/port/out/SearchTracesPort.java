package dev.glust.application.port.out;

import dev.glust.application.port.in.query.Page;
import dev.glust.application.port.in.query.TraceSearch;
import dev.glust.application.port.in.query.TraceSummary;

/** Finds traces in storage, newest first, by keyset pages. */
public interface SearchTracesPort {
  Page<TraceSummary> searchTraces(TraceSearch search);
}
