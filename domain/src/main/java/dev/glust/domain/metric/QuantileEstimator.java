package dev.glust.domain.metric;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A quantile of observations known only as counts over intervals, assuming the observations of an
 * interval are spread evenly over it (linear interpolation, as Prometheus' {@code
 * histogram_quantile}); a count at a single value is a point mass. Intervals may overlap (series
 * with different bucket layouts): the distribution is their sum.
 */
final class QuantileEstimator {
  /** At {@code x}: a point mass, and a change of density (observations per unit) from x on. */
  private record Event(double x, double mass, double densityChange) {}

  private final List<Event> events = new ArrayList<>();
  private double total;

  /** {@code count} observations spread over {@code (lower, upper]}; a point when equal. */
  void add(double lower, double upper, double count) {
    if (count <= 0) {
      return;
    }
    total += count;
    if (upper <= lower) {
      events.add(new Event(upper, count, 0));
      return;
    }
    double density = count / (upper - lower);
    events.add(new Event(lower, 0, density));
    events.add(new Event(upper, 0, -density));
  }

  /**
   * The smallest value below which a share {@code q} (0 < q < 1) of the observations lies; NaN
   * without observations.
   */
  double quantile(double q) {
    if (total <= 0) {
      return Double.NaN;
    }
    events.sort(Comparator.comparingDouble(Event::x));
    double rank = q * total;
    // A rank at the very end of an interval (q·n a whole count: p50 of two observations) must be
    // met there, not a rounding error later at the start of the next interval holding any.
    double reached = rank - total * 1e-12;
    double seen = 0;
    double density = 0;
    double x = events.get(0).x();
    for (Event e : events) {
      double spread = density * (e.x() - x);
      if (density > 0 && seen + spread >= reached) {
        return Math.min(e.x(), x + (rank - seen) / density);
      }
      seen += spread;
      x = e.x();
      if (e.mass() > 0 && seen + e.mass() >= reached) {
        return x;
      }
      seen += e.mass();
      density += e.densityChange();
      if (density < 1e-12 * Math.abs(e.densityChange())) {
        density = 0; // what remains of floating-point sums of +d and -d
      }
    }
    return x; // rounding left the rank a hair above the total
  }
}
