package dev.glust.application.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.glust.application.port.in.PipelineFullException;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.domain.tenant.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchingPipelineTest {
  private final List<List<Integer>> saved = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch firstWriteStarted = new CountDownLatch(1);
  private BatchingPipeline<Integer> pipeline;

  private BatchingPipeline<Integer> start(PipelineSettings settings, Consumer<List<Integer>> save) {
    pipeline = new BatchingPipeline<>("test", (tenant, records) -> save.accept(records), settings);
    return pipeline;
  }

  /** A save that blocks its first call until released, so requests pile up behind it. */
  private void blockingSave(List<Integer> records) {
    if (firstWriteStarted.getCount() > 0) {
      firstWriteStarted.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    saved.add(List.copyOf(records));
  }

  @AfterEach
  void stop() {
    release.countDown();
    pipeline.close(Duration.ofSeconds(5));
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  @Test
  void requestsWaitingBehindABusyWriterAreCoalescedIntoOneBatch() throws Exception {
    start(new PipelineSettings(1000, Duration.ZERO, 10_000, 1 << 20, 1), this::blockingSave);
    CompletableFuture<Void> first = pipeline.submit(TenantId.DEFAULT, range(0, 1), 10);
    assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiting.add(pipeline.submit(TenantId.DEFAULT, range(10 * i + 10, 10 * i + 20), 10));
    }
    assertThat(waiting).noneMatch(CompletableFuture::isDone); // not acknowledged before commit
    release.countDown();
    CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(first).isDone();
    assertThat(saved).hasSize(2);
    assertThat(saved.get(1)).hasSize(50);
  }

  @Test
  void lingerWaitsForMoreRequestsToFillABatch() throws Exception {
    start(new PipelineSettings(1000, Duration.ofMillis(300), 10_000, 1 << 20, 1), saved::add);
    CompletableFuture<Void> a = pipeline.submit(TenantId.DEFAULT, range(0, 3), 1);
    Thread.sleep(50);
    CompletableFuture<Void> b = pipeline.submit(TenantId.DEFAULT, range(3, 5), 1);
    CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
    assertThat(saved).containsExactly(range(0, 5));
  }

  @Test
  void batchesNeverExceedTheSizeCapAndRequestsAreNeverSplit() throws Exception {
    start(new PipelineSettings(25, Duration.ZERO, 10_000, 1 << 20, 1), this::blockingSave);
    pipeline.submit(TenantId.DEFAULT, range(0, 1), 1);
    assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      all.add(pipeline.submit(TenantId.DEFAULT, range(100 * i, 100 * i + 10), 1));
    }
    all.add(
        pipeline.submit(
            TenantId.DEFAULT, range(5000, 5040), 1)); // larger than a batch: written alone
    release.countDown();
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    assertThat(saved.subList(1, saved.size()))
        .allSatisfy(batch -> assertThat(batch.size() <= 25 || batch.size() == 40).isTrue())
        .allSatisfy(batch -> assertThat(batch.size() % 10).isZero());
    assertThat(saved.stream().mapToInt(List::size).sum()).isEqualTo(1 + 100 + 40);
  }

  @Test
  void aStorageFailureFailsEveryRequestOfItsBatchAndNoOther() throws Exception {
    RuntimeException down = new StorageUnavailableException("database down", null);
    start(
        new PipelineSettings(1000, Duration.ZERO, 10_000, 1 << 20, 1),
        records -> {
          blockingSave(records);
          if (records.contains(7)) {
            throw down;
          }
        });
    CompletableFuture<Void> first = pipeline.submit(TenantId.DEFAULT, range(0, 1), 1);
    assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> b = pipeline.submit(TenantId.DEFAULT, range(5, 7), 1);
    CompletableFuture<Void> c = pipeline.submit(TenantId.DEFAULT, range(7, 9), 1);
    release.countDown();
    first.get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> b.get(5, TimeUnit.SECONDS)).hasCause(down);
    assertThatThrownBy(() -> c.get(5, TimeUnit.SECONDS)).hasCause(down);
    pipeline
        .submit(TenantId.DEFAULT, range(20, 21), 1)
        .get(5, TimeUnit.SECONDS); // the pipeline goes on
    assertThat(pipeline.stats().failedBatches()).isEqualTo(1);
    assertThat(pipeline.stats().queuedRecords()).isZero();
  }

  @Test
  void badDataFailsOnlyTheRequestThatCarriesIt() throws Exception {
    start(
        new PipelineSettings(1000, Duration.ZERO, 10_000, 1 << 20, 1),
        records -> {
          blockingSave(records);
          if (records.contains(-1)) {
            throw new StorageRejectedException("bad row", null);
          }
        });
    pipeline.submit(TenantId.DEFAULT, range(0, 1), 1);
    assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> good = pipeline.submit(TenantId.DEFAULT, range(5, 7), 1);
    CompletableFuture<Void> bad = pipeline.submit(TenantId.DEFAULT, List.of(8, -1), 1);
    release.countDown();
    good.get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StorageRejectedException.class);
    assertThat(saved).contains(range(5, 7));
  }

  @Test
  void aFullPipelineRefusesAtOnceByRecordsAndByBytes() throws Exception {
    start(new PipelineSettings(1000, Duration.ZERO, 30, 1000, 1), this::blockingSave);
    pipeline.submit(TenantId.DEFAULT, range(0, 20), 100);
    assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> pipeline.submit(TenantId.DEFAULT, range(0, 11), 100))
        .isInstanceOf(PipelineFullException.class);
    assertThatThrownBy(() -> pipeline.submit(TenantId.DEFAULT, range(0, 1), 901))
        .isInstanceOf(PipelineFullException.class);
    CompletableFuture<Void> fits = pipeline.submit(TenantId.DEFAULT, range(0, 10), 900);
    assertThat(pipeline.stats().refusedRequests()).isEqualTo(2);
    assertThat(pipeline.stats().queuedRecords()).isEqualTo(30);
    release.countDown();
    fits.get(5, TimeUnit.SECONDS);
    assertThat(pipeline.stats().queuedRecords()).isZero();
    assertThat(pipeline.stats().queuedBytes()).isZero();
  }

  @Test
  void theEarlyCheckRefusesWhatSubmitWouldRefuseAndCountsIt() throws Exception {
    start(new PipelineSettings(1000, Duration.ZERO, 30, 1000, 1), this::blockingSave);
    pipeline.refuseIfFull(5000); // empty: anything may come
    pipeline.submit(TenantId.DEFAULT, range(0, 30), 100);
    assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> pipeline.refuseIfFull(1)).isInstanceOf(PipelineFullException.class);
    assertThat(pipeline.stats().refusedRequests()).isEqualTo(1);
  }

  @Test
  void anOversizedRequestIsTakenWhenThePipelineIsEmpty() throws Exception {
    start(new PipelineSettings(1000, Duration.ZERO, 10, 100, 1), saved::add);
    pipeline.submit(TenantId.DEFAULT, range(0, 50), 5000).get(5, TimeUnit.SECONDS);
    assertThat(saved).containsExactly(range(0, 50));
  }

  @Test
  void closingCommitsWhatWasTakenAndRefusesNewRequests() throws Exception {
    start(new PipelineSettings(1000, Duration.ZERO, 10_000, 1 << 20, 1), this::blockingSave);
    CompletableFuture<Void> first = pipeline.submit(TenantId.DEFAULT, range(0, 1), 1);
    assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> queued = pipeline.submit(TenantId.DEFAULT, range(1, 3), 1);
    Thread closer = new Thread(() -> pipeline.close(Duration.ofSeconds(5)));
    closer.start();
    Thread.sleep(50);
    assertThatThrownBy(() -> pipeline.submit(TenantId.DEFAULT, range(3, 4), 1))
        .isInstanceOf(PipelineFullException.class);
    release.countDown();
    closer.join(5000);
    assertThat(first).isCompleted();
    assertThat(queued).isCompleted();
    assertThat(saved).containsExactly(range(0, 1), range(1, 3));
  }

  @Test
  void saturationAndEveryBatchAreReported() throws Exception {
    List<String> batches = Collections.synchronizedList(new ArrayList<>());
    pipeline =
        new BatchingPipeline<>(
            "test",
            (tenant, records) -> blockingSave(records),
            new PipelineSettings(1000, Duration.ZERO, 30, 1000, 1),
            (name, records, nanos, committed) ->
                batches.add(name + ":" + records + ":" + committed));
    assertThat(pipeline.saturated()).isFalse();
    CompletableFuture<Void> first = pipeline.submit(TenantId.DEFAULT, range(0, 30), 100);
    assertThat(pipeline.saturated()).isTrue();
    release.countDown();
    first.get(5, TimeUnit.SECONDS);
    assertThat(pipeline.saturated()).isFalse();
    assertThat(batches).containsExactly("test:30:true");
  }

  @Test
  void anErrorWhileWritingAnswersItsBatchRetryableReleasesItAndTheWriterGoesOn() throws Exception {
    start(
        new PipelineSettings(1000, Duration.ZERO, 10_000, 1 << 20, 1),
        records -> {
          if (records.contains(-1)) {
            throw new OutOfMemoryError("test");
          }
          saved.add(List.copyOf(records));
        });
    CompletableFuture<Void> failed = pipeline.submit(TenantId.DEFAULT, List.of(1, -1), 100);
    assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(StorageUnavailableException.class)
        .hasRootCauseInstanceOf(OutOfMemoryError.class);
    assertThat(pipeline.stats().queuedRecords()).isZero();
    assertThat(pipeline.stats().queuedBytes()).isZero();
    pipeline.submit(TenantId.DEFAULT, range(0, 3), 10).get(5, TimeUnit.SECONDS);
    assertThat(saved).containsExactly(range(0, 3));
  }

  @Test
  void anUnexpectedFailureIsIsolatedAndOnlyTheRequestThatReproducesItIsRefusedForGood()
      throws Exception {
    start(
        new PipelineSettings(1000, Duration.ZERO, 10_000, 1 << 20, 1),
        records -> {
          blockingSave(records);
          if (records.contains(-1)) {
            throw new IllegalStateException("a bug meets a value");
          }
        });
    pipeline.submit(TenantId.DEFAULT, range(0, 1), 1);
    assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> good = pipeline.submit(TenantId.DEFAULT, range(5, 7), 1);
    CompletableFuture<Void> bad = pipeline.submit(TenantId.DEFAULT, List.of(8, -1), 1);
    CompletableFuture<Void> alsoGood = pipeline.submit(TenantId.DEFAULT, range(10, 12), 1);
    release.countDown();
    good.get(5, TimeUnit.SECONDS);
    alsoGood.get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(StorageRejectedException.class)
        .hasMessageContaining("a bug meets a value");
    assertThat(saved).contains(range(5, 7), range(10, 12));
    assertThat(pipeline.stats().queuedRecords()).isZero();
  }

  @Test
  void aRequestWhoseSubmitOverlapsCloseIsRefusedNotLeftUnanswered() throws Exception {
    start(new PipelineSettings(1000, Duration.ZERO, 10_000, 1 << 20, 1), saved::add);
    CountDownLatch closed = new CountDownLatch(1);
    List<Integer> slowToCopy = // submit is still copying it when close finishes
        new java.util.AbstractList<>() {
          @Override
          public Integer get(int index) {
            return index;
          }

          @Override
          public int size() {
            return 1;
          }

          @Override
          public Object[] toArray() {
            try {
              closed.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return new Object[] {0};
          }
        };
    CompletableFuture<CompletableFuture<Void>> submitted =
        CompletableFuture.supplyAsync(() -> pipeline.submit(TenantId.DEFAULT, slowToCopy, 1));
    Thread.sleep(50);
    pipeline.close(Duration.ofSeconds(1));
    closed.countDown();
    assertThatThrownBy(() -> submitted.get(5, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(PipelineFullException.class);
    assertThat(pipeline.stats().queuedRecords()).isZero();
  }

  @Test
  void everyRequestSubmittedWhileClosingIsAnswered() throws Exception {
    start(new PipelineSettings(100, Duration.ZERO, 1_000_000, 1L << 30, 2), saved::add);
    List<CompletableFuture<Void>> answers = Collections.synchronizedList(new ArrayList<>());
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread submitter =
          new Thread(
              () -> {
                for (int i = 0; i < 20_000; i++) {
                  try {
                    answers.add(pipeline.submit(TenantId.DEFAULT, List.of(i), 1));
                  } catch (PipelineFullException refused) {
                    return;
                  }
                }
              });
      submitters.add(submitter);
      submitter.start();
    }
    Thread.sleep(20);
    pipeline.close(Duration.ofSeconds(5));
    for (Thread submitter : submitters) {
      submitter.join(10_000);
    }
    for (CompletableFuture<Void> answer : answers) {
      try {
        answer.get(5, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException refused) {
        assertThat(refused).cause().isInstanceOf(PipelineFullException.class);
      }
    }
    assertThat(pipeline.stats().queuedRecords()).isZero();
  }

  @Test
  void aFailingObserverDoesNotChangeTheAnswers() throws Exception {
    pipeline =
        new BatchingPipeline<>(
            "test",
            (tenant, records) -> saved.add(records),
            new PipelineSettings(1000, Duration.ZERO, 30, 1000, 1),
            (name, records, nanos, committed) -> {
              throw new IllegalStateException("metrics broke");
            });
    pipeline.submit(TenantId.DEFAULT, range(0, 3), 10).get(5, TimeUnit.SECONDS);
    assertThat(saved).containsExactly(range(0, 3));
    assertThat(pipeline.stats().committedBatches()).isEqualTo(1);
  }

  @Test
  void eachTenantsRequestsAreSavedInTheirOwnCallWithTheirTenant() throws Exception {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    pipeline =
        new BatchingPipeline<>(
            "test",
            (tenant, records) -> {
              blockingSave(records);
              calls.add(tenant + ":" + records);
            },
            new PipelineSettings(1000, Duration.ofMillis(50), 100, 1 << 20, 1));
    CompletableFuture<Void> first = pipeline.submit(TenantId.DEFAULT, range(0, 1), 1);
    assertThat(firstWriteStarted.await(5, TimeUnit.SECONDS)).isTrue();
    TenantId acme = new TenantId("acme");
    List<CompletableFuture<Void>> queued =
        List.of(
            pipeline.submit(acme, range(1, 3), 1),
            pipeline.submit(TenantId.DEFAULT, range(3, 4), 1),
            pipeline.submit(acme, range(4, 5), 1));
    release.countDown();
    first.get(5, TimeUnit.SECONDS);
    for (CompletableFuture<Void> request : queued) {
      request.get(5, TimeUnit.SECONDS);
    }
    assertThat(calls).containsExactly("default:[0]", "acme:[1, 2, 4]", "default:[3]");
  }
}
