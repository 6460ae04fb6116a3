package dev.glust.adapter.kafka.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker for tests: the one {@code GLUST_TEST_KAFKA_BOOTSTRAP} names, else a
 * single-node KRaft broker (broker and controller in one) started in this JVM from Apache Kafka's
 * own server classes, on free ports, with its log in a temporary directory. One broker per JVM;
 * each caller gets a fresh topic prefix, so tests never see each other's records.
 *
 * <p>{@link #main} runs the same broker as a process of its own (for tests that kill processes).
 */
public final class TestKafka {
  private static final Logger LOG = LoggerFactory.getLogger(TestKafka.class);
  private static TestKafka shared;

  private final String bootstrap;
  private final KafkaRaftServer server;

  private TestKafka(String bootstrap, KafkaRaftServer server) {
    this.bootstrap = bootstrap;
    this.server = server;
  }

  public static synchronized TestKafka broker() {
    if (shared == null) {
      String external = System.getenv("GLUST_TEST_KAFKA_BOOTSTRAP");
      shared =
          external != null && !external.isBlank()
              ? new TestKafka(external, null)
              : start(freePort(), freePort(), temporaryDirectory());
      Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
    }
    return shared;
  }

  public String bootstrap() {
    return bootstrap;
  }

  /**
   * Every record of {@code topic} from the start, by a consumer group of its own, until {@code
   * expected} are read or 30 s have passed.
   */
  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (read.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
      }
      return read;
    }
  }

  /**
   * Records of the topics the group has not committed yet (all of them for partitions it never
   * committed): 0 once the group consumed and committed everything.
   */
  public long lag(String group, String... topics) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription topic :
          admin.describeTopics(List.of(topics)).allTopicNames().get().values()) {
        topic
            .partitions()
            .forEach(
                p ->
                    latest.put(
                        new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
      }
      long lag = 0;
      for (var end : admin.listOffsets(latest).all().get().entrySet()) {
        OffsetAndMetadata c = committed.get(end.getKey());
        lag += end.getValue().offset() - (c == null ? 0 : c.offset());
      }
      return lag;
    }
  }

  /** A topic prefix no other caller uses: {@code t<random>.glust.}. */
  public static String freshTopicPrefix() {
    return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + ".glust.";
  }

  /** Starts a formatted single-node KRaft broker; blocks until it serves. */
  public static TestKafka start(int brokerPort, int controllerPort, Path logDir) {
    long began = System.nanoTime();
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    props.put("num.partitions", "4");
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("group.consumer.heartbeat.interval.ms", "500");
    props.put("group.consumer.min.heartbeat.interval.ms", "500");
    try {
      Files.createDirectories(logDir);
      Path config = logDir.resolve("server.properties");
      try (Writer out = Files.newBufferedWriter(config)) {
        props.store(out, "Glust test broker");
      }
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        int formatted =
            StorageTool.execute(
                new String[] {
                  "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()
                },
                new PrintStream(PrintStream.nullOutputStream()));
        if (formatted != 0) {
          throw new IllegalStateException("formatting the test broker's storage failed");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("formatting the test broker's storage failed", e);
    }
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    String bootstrap = "127.0.0.1:" + brokerPort;
    LOG.info(
        "test Kafka broker at {} started in {} ms",
        bootstrap,
        (System.nanoTime() - began) / 1_000_000);
    return new TestKafka(bootstrap, server);
  }

  public void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path temporaryDirectory() {
    try {
      Path dir = Files.createTempDirectory("glust-test-kafka");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A broker process: {@code TestKafka <brokerPort> <controllerPort> <logDir>}; prints "READY
   * host:port" when it serves and runs until killed. Restarting on the same directory keeps the
   * data.
   */
  public static void main(String[] args) throws Exception {
    TestKafka broker =
        start(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Path.of(args[2]));
    System.out.println("READY " + broker.bootstrap());
    System.out.flush();
    broker.server.awaitShutdown();
  }
}
