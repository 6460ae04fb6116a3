package dev.glust.adapter.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.glust.adapter.otlp.testing.FuzzClient;
import dev.glust.adapter.otlp.testing.FuzzPayloads;
import dev.glust.adapter.otlp.testing.FuzzRequest;
import dev.glust.adapter.otlp.testing.FuzzSignal;
import dev.glust.adapter.otlp.testing.FuzzTries;
import dev.glust.adapter.otlp.testing.MixedBatch;
import dev.glust.domain.common.AnyValue;
import io.grpc.Status;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Fuzzes both receivers over real sockets, with a recording use case behind them: random and
 * mutated protobuf and JSON only ever get a client status, the receivers stay healthy, and the
 * valid records of a batch mixed with invalid ones are all handed over. Tries: {@code
 * -Dglust.fuzz.tries} (see {@link FuzzTries}).
 */
@AddLifecycleHook(FuzzTries.Receivers.class)
class OtlpReceiversFuzzTest {
  /** Small enough that the fuzzer's long strings sometimes cross it (413). */
  private static final int LIMIT = 64 * 1024;

  private static final RecordingIngest ingest = new RecordingIngest();
  private static OtlpReceivers receivers;
  private static FuzzClient client;

  @BeforeContainer
  static void start() throws Exception {
    receivers =
        OtlpReceivers.start(
            new OtlpReceiverSettings("127.0.0.1", 0, 0, LIMIT), ingest, ingest, ingest);
    client = new FuzzClient("127.0.0.1", receivers.httpPort(), receivers.grpcPort());
  }

  @AfterContainer
  static void stop() throws Exception {
    client.close();
    receivers.close();
  }

  @BeforeTry
  void forgetRecords() {
    ingest.spans.clear();
    ingest.logs.clear();
  }

  @Provide
  Arbitrary<FuzzRequest> httpRequests() {
    return Arbitraries.oneOf(
        FuzzPayloads.http(FuzzSignal.TRACES),
        FuzzPayloads.http(FuzzSignal.LOGS),
        FuzzPayloads.http(FuzzSignal.METRICS));
  }

  @Provide
  Arbitrary<FuzzRequest> grpcRequests() {
    return Arbitraries.oneOf(
        FuzzPayloads.grpc(FuzzSignal.TRACES),
        FuzzPayloads.grpc(FuzzSignal.LOGS),
        FuzzPayloads.grpc(FuzzSignal.METRICS));
  }

  @Property
  void httpAnswersEveryPayloadWithAClientStatus(@ForAll("httpRequests") FuzzRequest request)
      throws Exception {
    assertThat(client.http(request)).isIn(FuzzClient.CLIENT_STATUSES);
  }

  @Property
  void grpcAnswersEveryPayloadWithAClientCode(@ForAll("grpcRequests") FuzzRequest request) {
    assertThat(client.grpc(request)).isIn(FuzzClient.GRPC_CLIENT_CODES);
  }

  @Property
  void theValidSpansOfAMixedBatchAreHandedOver(@ForAll("spanBatches") MixedBatch batch)
      throws Exception {
    Assume.that(batch.request().getSerializedSize() < LIMIT / 2); // 413 is not the point here
    assertThat(batch.send(client)).isEqualTo(batch.invalid());
    assertThat(ingest.spans)
        .extracting(s -> ByteString.copyFrom(s.spanId().toBytes()))
        .containsExactlyInAnyOrderElementsOf(batch.validSpanIds());
  }

  @Property
  void theValidLogsOfAMixedBatchAreHandedOver(@ForAll("logBatches") MixedBatch batch)
      throws Exception {
    Assume.that(batch.request().getSerializedSize() < LIMIT / 2);
    assertThat(batch.send(client)).isEqualTo(batch.invalid());
    assertThat(ingest.logs)
        .extracting(l -> l.attributes().get(MixedBatch.SEQUENCE_KEY).orElseThrow())
        .containsExactlyInAnyOrderElementsOf(
            batch.validLogSequences().stream().map(AnyValue::of).toList());
  }

  @Provide
  Arbitrary<MixedBatch> spanBatches() {
    return MixedBatch.spans();
  }

  @Provide
  Arbitrary<MixedBatch> logBatches() {
    return MixedBatch.logs();
  }

  /** After every property: both transports still store a plain valid request. */
  @AfterProperty
  void receiversStayHealthy() throws Exception {
    for (FuzzSignal signal : FuzzSignal.values()) {
      FuzzRequest valid = MixedBatch.healthProbe(signal);
      assertThat(client.http(valid)).isEqualTo(200);
      assertThat(client.grpc(valid)).isEqualTo(Status.Code.OK);
    }
    assertThat(List.of(receivers.httpPort(), receivers.grpcPort())).doesNotContain(0);
  }
}
