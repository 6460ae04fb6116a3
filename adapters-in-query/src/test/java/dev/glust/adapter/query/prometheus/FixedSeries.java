package dev.glust.adapter.query.prometheus;

import dev.glust.adapter.query.prometheus.Expr.VectorSelector;
import dev.glust.application.port.model.MetricSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Series given by a test, selected by matchers and cut to the asked window as storage would. */
final class FixedSeries implements SeriesSource {
  static final long SECOND = 1_000_000_000L;

  private final List<PromSeries> all = new ArrayList<>();

  /** A series with a sample every {@code stepSeconds} from 0 on: {@code values[i]} at i × step. */
  FixedSeries add(Map<String, String> labels, long stepSeconds, double... values) {
    long[] times = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      times[i] = i * stepSeconds * SECOND;
    }
    all.add(new PromSeries(Labels.of(labels), times, values, List.of()));
    return this;
  }

  FixedSeries add(PromSeries series) {
    all.add(series);
    return this;
  }

  @Override
  public List<PromSeries> select(VectorSelector selector, long from, long to) {
    List<PromSeries> out = new ArrayList<>();
    for (PromSeries s : all) {
      if (StoredSeries.matches(selector, s.labels())) {
        int a = 0;
        while (a < s.size() && s.times()[a] < from) {
          a++;
        }
        int b = a;
        while (b < s.size() && s.times()[b] <= to) {
          b++;
        }
        out.add(
            new PromSeries(
                s.labels(),
                Arrays.copyOfRange(s.times(), a, b),
                Arrays.copyOfRange(s.values(), a, b),
                s.exemplars()));
      }
    }
    return out;
  }

  @Override
  public List<Labels> labelSets(VectorSelector selector, long from, long to) {
    return select(selector, from, to).stream()
        .filter(s -> s.size() > 0)
        .map(PromSeries::labels)
        .toList();
  }

  @Override
  public List<MetricSummary> metrics(long from, long to) {
    return List.of();
  }
}
