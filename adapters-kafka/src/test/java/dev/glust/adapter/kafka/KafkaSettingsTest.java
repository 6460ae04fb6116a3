package dev.glust.adapter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

  private static KafkaSettings settings(int replicationFactor, int minInSyncReplicas) {
    return new KafkaSettings(
        "kafka:9092",
        "glust.",
        12,
        (short) replicationFactor,
        minInSyncReplicas,
        "glust-writers",
        1,
        Duration.ofSeconds(5));
  }

  @Test
  void theMinimumInSyncReplicasDefaultsToTwoWhereTheReplicationFactorAllows() {
    assertThat(settings(1, 0).minInSyncReplicas()).isEqualTo(1);
    assertThat(settings(2, 0).minInSyncReplicas()).isEqualTo(2);
    assertThat(settings(3, 0).minInSyncReplicas()).isEqualTo(2);
    assertThat(settings(5, 0).minInSyncReplicas()).isEqualTo(2);
  }

  @Test
  void anExplicitMinimumInSyncReplicasIsKept() {
    assertThat(settings(3, 1).minInSyncReplicas()).isEqualTo(1);
    assertThat(settings(5, 3).minInSyncReplicas()).isEqualTo(3);
  }

  @Test
  void moreInSyncReplicasThanReplicasIsRefusedAtStartup() {
    assertThatThrownBy(() -> settings(1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GLUST_KAFKA_MIN_INSYNC_REPLICAS is 2")
        .hasMessageContaining("GLUST_KAFKA_REPLICATION_FACTOR (1)");
    assertThatThrownBy(() -> settings(3, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
