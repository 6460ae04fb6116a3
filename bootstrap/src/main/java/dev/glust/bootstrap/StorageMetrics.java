package dev.glust.bootstrap;

import dev.glust.application.port.out.Storage;
import dev.glust.application.port.out.StorageMeter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;

/**
 * The storage adapter's figures ({@link Storage#meters()}: for PostgreSQL, partitions, records and
 * its connection pools) as Prometheus series, read when scraped: the adapter itself stays free of
 * Micrometer. Meters hold their object weakly, so each observes the storage (which the application
 * context holds for as long as it runs), not a figure object of its own that would be collected.
 */
@Context
@Requires(property = GlustMode.PROPERTY, notEquals = "receiver") // no database in receiver mode
final class StorageMetrics {

  StorageMetrics(MeterRegistry registry, Storage storage) {
    for (StorageMeter meter : storage.meters()) {
      if (meter.counter()) {
        FunctionCounter.builder(meter.name(), storage, s -> meter.value().getAsDouble())
            .description(meter.description())
            .tags(tags(meter))
            .register(registry);
      } else {
        Gauge.builder(meter.name(), storage, s -> meter.value().getAsDouble())
            .description(meter.description())
            .tags(tags(meter))
            .register(registry);
      }
    }
  }

  private static Tags tags(StorageMeter meter) {
    Tags tags = Tags.empty();
    for (var tag : meter.tags().entrySet()) {
      tags = tags.and(tag.getKey(), tag.getValue());
    }
    return tags;
  }
}
