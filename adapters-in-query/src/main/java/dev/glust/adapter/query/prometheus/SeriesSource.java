package dev.glust.adapter.query.prometheus;

import dev.glust.adapter.query.prometheus.Expr.VectorSelector;
import dev.glust.application.port.model.MetricSummary;
import java.util.List;

/** Where PromQL reads series from: the stored metrics, translated (or a test's own). */
interface SeriesSource {
  /** The series {@code selector}'s matchers select, with their samples in {@code [from, to]}. */
  List<PromSeries> select(VectorSelector selector, long fromUnixNano, long toUnixNano);

  /**
   * The label sets of the series {@code selector} selects in {@code [from, to]}, for the metadata
   * endpoints: without reading samples where the labels do not need them.
   */
  List<Labels> labelSets(VectorSelector selector, long fromUnixNano, long toUnixNano);

  /** The metrics with series in {@code [from, to]}, as the catalog lists them. */
  List<MetricSummary> metrics(long fromUnixNano, long toUnixNano);
}
