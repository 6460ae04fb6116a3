package dev.glust.bootstrap;

import dev.glust.adapter.kafka.KafkaObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Kafka adapter's figures as Prometheus series: publish latency (receivers), consumer lag per
 * partition and dead-lettered records (writers). Series of known labels start at 0.
 */
final class KafkaMetrics implements KafkaObserver {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> lags = new ConcurrentHashMap<>();

  KafkaMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void publishing(String signal) {
    publishDuration(signal, true);
    publishDuration(signal, false);
  }

  @Override
  public void consuming(String topic) {
    deadLetters(topic);
  }

  @Override
  public void published(String signal, int records, long nanos, boolean ok) {
    publishDuration(signal, ok).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void deadLettered(String sourceTopic, String reason) {
    deadLetters(sourceTopic).increment();
  }

  private Timer publishDuration(String signal, boolean ok) {
    return Timer.builder("glust.kafka.publish.duration")
        .description("From handing a batch to Kafka to every record of it acknowledged (acks=all)")
        .tags("signal", signal, "outcome", ok ? "acknowledged" : "failed")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  private Counter deadLetters(String sourceTopic) {
    return Counter.builder("glust.kafka.dead.letters")
        .description("Records moved to the dead-letter topic instead of being stored")
        .tag("topic", sourceTopic)
        .register(registry);
  }

  @Override
  public void lag(String topic, int partition, long records) {
    lags.computeIfAbsent(
            topic + "/" + partition,
            k -> {
              AtomicLong lag = new AtomicLong();
              Gauge.builder("glust.kafka.consumer.lag", lag, AtomicLong::get)
                  .description("Records of a partition this writer owns not consumed yet")
                  .tags("topic", topic, "partition", Integer.toString(partition))
                  .register(registry);
              return lag;
            })
        .set(records);
  }
}
