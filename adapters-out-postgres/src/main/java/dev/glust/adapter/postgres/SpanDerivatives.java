package dev.glust.adapter.postgres;

import dev.glust.domain.trace.Span;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * What a span batch writes after its rows from the spans it stored: their rollups per operation and
 * minute ({@link OperationRollupWriter}) and the calls between services they show ({@link
 * DependencyRecorder}). Both turned off together by {@code GLUST_SPAN_ROLLUPS=off}, so that one
 * switch measures what deriving costs ingest.
 */
final class SpanDerivatives implements PostgresTelemetryWriter.Derived<Span> {
  private final OperationRollupWriter rollups;
  private final DependencyRecorder dependencies;

  SpanDerivatives(OperationRollupWriter rollups, DependencyRecorder dependencies) {
    this.rollups = rollups;
    this.dependencies = dependencies;
  }

  @Override
  public CopyBatchWriter.Identity<Span> identity() {
    return rollups.identity();
  }

  @Override
  public void write(Connection connection, List<Span> stored) throws SQLException {
    rollups.write(connection, stored);
    dependencies.record(connection, stored);
  }
}
