package dev.glust.adapter.query.prometheus;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A Prometheus series: its labels and its samples in time order (unix nanoseconds), with the
 * exemplars measured on it.
 */
record PromSeries(Labels labels, long[] times, double[] values, List<Exemplar> exemplars) {
  PromSeries {
    Objects.requireNonNull(labels, "labels");
    if (times.length != values.length) {
      throw new IllegalArgumentException("one value per time");
    }
    exemplars = List.copyOf(exemplars);
  }

  /** An exemplar: {@code trace_id} and {@code span_id} labels link it to its trace. */
  record Exemplar(Labels labels, double value, long timeUnixNano) {}

  int size() {
    return times.length;
  }

  /** The index of the last sample at or before {@code time}, or -1. */
  int lastAtOrBefore(long time) {
    int i = Arrays.binarySearch(times, time);
    if (i >= 0) {
      while (i + 1 < times.length && times[i + 1] == time) {
        i++;
      }
      return i;
    }
    return -i - 2;
  }

  /** Samples growing in time order. */
  static final class Builder {
    private final Labels labels;
    private long[] times = new long[16];
    private double[] values = new double[16];
    private int size;
    private final List<Exemplar> exemplars = new java.util.ArrayList<>();

    Builder(Labels labels) {
      this.labels = labels;
    }

    void add(long time, double value) {
      if (size == times.length) {
        times = Arrays.copyOf(times, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      times[size] = time;
      values[size] = value;
      size++;
    }

    void addExemplar(Exemplar exemplar) {
      exemplars.add(exemplar);
    }

    PromSeries build() {
      return new PromSeries(
          labels, Arrays.copyOf(times, size), Arrays.copyOf(values, size), exemplars);
    }
  }
}
