package dev.glust.adapter.query.prometheus;

import java.util.List;
import java.util.Objects;

/** What a PromQL expression evaluates to at one time. */
sealed interface Value {
  record Scalar(double value) implements Value {}

  record Text(String value) implements Value {
    public Text {
      Objects.requireNonNull(value, "value");
    }
  }

  /** An instant vector: one value per series. */
  record Vector(List<Sample> samples) implements Value {
    public Vector {
      samples = List.copyOf(samples);
    }
  }

  /** A range vector (only an instant query may answer one): the series' samples in the range. */
  record Matrix(List<PromSeries> series) implements Value {
    public Matrix {
      series = List.copyOf(series);
    }
  }

  record Sample(Labels labels, double value) {
    public Sample {
      Objects.requireNonNull(labels, "labels");
    }
  }
}
