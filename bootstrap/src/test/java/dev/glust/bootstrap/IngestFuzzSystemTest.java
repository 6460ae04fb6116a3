package dev.glust.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.glust.adapter.otlp.testing.FuzzClient;
import dev.glust.adapter.otlp.testing.FuzzPayloads;
import dev.glust.adapter.otlp.testing.FuzzRequest;
import dev.glust.adapter.otlp.testing.FuzzSignal;
import dev.glust.adapter.otlp.testing.FuzzTries;
import dev.glust.adapter.otlp.testing.MixedBatch;
import io.grpc.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The receivers' fuzz (see {@code OtlpReceiversFuzzTest}) through the whole application: real
 * pipeline, domain rules and PostgreSQL. Never a server error, the service stays healthy, and the
 * valid records of a mixed batch are in the database. Tries: {@code -Dglust.fuzz.e2e.tries}.
 */
@AddLifecycleHook(FuzzTries.EndToEnd.class)
class IngestFuzzSystemTest {
  private static RunningGlust glust;
  private static FuzzClient client;

  @BeforeContainer
  static void start() {
    glust = new RunningGlust();
    client = new FuzzClient("127.0.0.1", glust.receivers.httpPort(), glust.receivers.grpcPort());
  }

  @AfterContainer
  static void stop() {
    client.close();
    glust.close();
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

  @Provide
  Arbitrary<MixedBatch> mixedBatches() {
    return Arbitraries.oneOf(MixedBatch.spans(), MixedBatch.logs());
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
  void theValidRecordsOfAMixedBatchAreStored(@ForAll("mixedBatches") MixedBatch batch)
      throws Exception {
    assertThat(batch.send(client)).isEqualTo(batch.invalid());
    if (batch.signal() == FuzzSignal.TRACES) {
      for (ByteString spanId : batch.validSpanIds()) {
        assertThat(count("SELECT count(*) FROM spans WHERE span_id = ?", spanId.toByteArray()))
            .as("span %s stored", spanId)
            .isPositive();
      }
    } else {
      for (String sequence : batch.validLogSequences()) {
        assertThat(
                count(
                    "SELECT count(*) FROM logs WHERE log_attributes->>'"
                        + MixedBatch.SEQUENCE_KEY
                        + "' = ?",
                    sequence))
            .as("log %s stored", sequence)
            .isEqualTo(1);
      }
    }
  }

  /** After every property: healthy, and both transports still store a plain request. */
  @AfterProperty
  void serviceStaysHealthy() throws Exception {
    assertThat(glust.get("/health").statusCode()).isEqualTo(200);
    List<Object> answers = new ArrayList<>();
    for (FuzzSignal signal : FuzzSignal.values()) {
      answers.add(client.http(MixedBatch.healthProbe(signal)));
      answers.add(client.grpc(MixedBatch.healthProbe(signal)));
    }
    assertThat(answers)
        .containsExactly(200, Status.Code.OK, 200, Status.Code.OK, 200, Status.Code.OK);
  }

  private static long count(String sql, Object parameter) throws Exception {
    try (Connection c = glust.db.connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setObject(1, parameter);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
