package dev.glust.adapter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Requests that waited too long for a decoding thread, or found its queue full, are refused
 * undecoded, to be retried.
 */
class DecodeQueueWaitTest {
  @Test
  void aTaskThatWaitedLongerThanTheBoundIsRefusedAndAPromptOneIsNot() throws Exception {
    try (DecodeWorkers workers = new DecodeWorkers(1, Duration.ofMillis(50), 64)) {
      CountDownLatch release = new CountDownLatch(1);
      workers.execute(
          () -> {
            try {
              release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      CompletableFuture<Throwable> late = new CompletableFuture<>();
      workers.execute(() -> late.complete(outcome(workers)));
      Thread.sleep(150); // the only thread is busy: the second task waits 150 ms > 50 ms
      release.countDown();
      assertThat(late.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ReceiverBusyException.class)
          .hasMessageContaining("waited");

      CompletableFuture<Throwable> prompt = new CompletableFuture<>();
      workers.execute(() -> prompt.complete(outcome(workers)));
      assertThat(prompt.get(5, TimeUnit.SECONDS)).isNull();
    }
  }

  @Test
  void aTaskThatFindsTheQueueFullIsRefusedAtOnceOnTheThreadThatHandedItOver() throws Exception {
    try (DecodeWorkers workers = new DecodeWorkers(1, Duration.ofSeconds(30), 1)) {
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      workers.execute(
          () -> {
            running.countDown();
            try {
              release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Throwable> queued = new CompletableFuture<>();
      workers.execute(() -> queued.complete(outcome(workers))); // the queue is now full

      AtomicReference<Thread> ranOn = new AtomicReference<>();
      AtomicReference<Throwable> overflow = new AtomicReference<>();
      workers.execute(
          () -> {
            ranOn.set(Thread.currentThread());
            overflow.set(outcome(workers));
          });
      assertThat(ranOn.get()).isSameAs(Thread.currentThread()); // answered now, nothing held
      assertThat(overflow.get())
          .isInstanceOf(ReceiverBusyException.class)
          .hasMessageContaining("queue is full");
      OtlpError answer = OtlpErrorTranslator.translate(overflow.get());
      assertThat(answer.httpStatus()).isEqualTo(503);
      assertThat(answer.grpcCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
      assertThat(answer.retryable()).isTrue();
      assertThat(outcome(workers)).isNull(); // the calling thread itself is not marked

      release.countDown();
      assertThat(queued.get(5, TimeUnit.SECONDS)).isNull(); // the queued one is decoded
    }
  }

  private static Throwable outcome(DecodeWorkers workers) {
    try {
      workers.refuseIfOverloaded();
      return null;
    } catch (ReceiverBusyException e) {
      return e;
    }
  }

  @Test
  void overloadedReceiversAnswerRetryableStatusesOnBothTransportsAndIngestNothing()
      throws Exception {
    RecordingIngest ingest = new RecordingIngest();
    // a bound no request can meet: every request counts as having waited too long
    try (OtlpReceivers receivers =
        OtlpReceivers.start(
            new OtlpReceiverSettings("127.0.0.1", 0, 0, 1 << 20, 1000, Duration.ofNanos(1)),
            ingest,
            ingest,
            ingest)) {
      HttpResponse<byte[]> http =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + receivers.httpPort() + "/v1/traces"))
                      .header("Content-Type", "application/x-protobuf")
                      .POST(
                          HttpRequest.BodyPublishers.ofByteArray(
                              OtlpReceiversTest.traces(OtlpReceiversTest.span(1)).toByteArray()))
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(http.statusCode()).isEqualTo(503);
      assertThat(http.headers().firstValue("Retry-After")).contains("1");
      assertThat(Status.parseFrom(http.body()).getCode()).isEqualTo(14); // UNAVAILABLE

      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", receivers.grpcPort()).usePlaintext().build();
      try {
        assertThatThrownBy(
                () ->
                    TraceServiceGrpc.newBlockingStub(channel)
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .export(OtlpReceiversTest.traces(OtlpReceiversTest.span(2))))
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> {
                  assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                  assertThat(StatusProto.fromThrowable(e).getDetailsList())
                      .anySatisfy(detail -> assertThat(detail.is(RetryInfo.class)).isTrue());
                });
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      assertThat(ingest.spans).isEmpty();
    }
  }
}
