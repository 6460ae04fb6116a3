package dev.glust.application.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A bounded queue between receivers and storage. Requests are admitted only while the records and
 * bytes held (queued or being written) stay under their limits; otherwise they are refused at once.
 * Writers drain it, coalescing requests into batches of up to {@code maxBatchRecords} (a request is
 * never split), write each batch in one call of the save port, and only then complete every request
 * in it: an acknowledged record is committed.
 *
 * <p>When a batch of several requests is refused by storage as bad data, each request is written
 * alone, so one bad request cannot fail the others it happened to share a batch with.
 */
public final class BatchingPipeline<T> implements AutoCloseable {
  private final String name;
  private final Consumer<List<T>> save;
  private final PipelineSettings settings;
  private final Class<? extends RuntimeException> permanentFailure;
  private final PipelineObserver observer;
  private final BlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
  private final List<Thread> writers = new ArrayList<>();
  private final AtomicLong heldRecords = new AtomicLong();
  private final AtomicLong heldBytes = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong committedBatches = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private final AtomicLong lastBatchRecords = new AtomicLong();
  private final AtomicLong lastCommitNanos = new AtomicLong();
  private final AtomicLong maxCommitNanos = new AtomicLong();
  private volatile boolean accepting = true;

  private record Pending<T>(List<T> records, long bytes, CompletableFuture<Void> done) {}

  /**
   * @param save the storage port; it stores a list in one transaction or throws
   * @param permanentFailure the exception type meaning "storage refused this data"
   */
  public BatchingPipeline(
      String name,
      Consumer<List<T>> save,
      PipelineSettings settings,
      Class<? extends RuntimeException> permanentFailure) {
    this(name, save, settings, permanentFailure, PipelineObserver.NONE);
  }

  /**
   * @param observer told about every batch written (metrics)
   */
  public BatchingPipeline(
      String name,
      Consumer<List<T>> save,
      PipelineSettings settings,
      Class<? extends RuntimeException> permanentFailure,
      PipelineObserver observer) {
    this.observer = Objects.requireNonNull(observer);
    this.name = Objects.requireNonNull(name);
    this.save = Objects.requireNonNull(save);
    this.settings = Objects.requireNonNull(settings);
    this.permanentFailure = Objects.requireNonNull(permanentFailure);
    for (int i = 0; i < settings.writers(); i++) {
      Thread writer = new Thread(this::drain, "glust-" + name + "-writer-" + (i + 1));
      writer.setDaemon(true);
      writers.add(writer);
      writer.start();
    }
  }

  /**
   * Takes a request or refuses it at once.
   *
   * @return completes when every record is committed, or with the storage failure
   * @throws PipelineFullException when holding the request would exceed a limit
   */
  public CompletableFuture<Void> submit(List<T> records, long wireBytes) {
    if (records.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (!accepting) {
      refused.incrementAndGet();
      throw new PipelineFullException(name + " pipeline is shutting down");
    }
    if (!reserve(records.size(), wireBytes)) {
      refused.incrementAndGet();
      throw new PipelineFullException(
          name
              + " pipeline is full ("
              + heldRecords.get()
              + " records, "
              + heldBytes.get()
              + " bytes)");
    }
    Pending<T> pending = new Pending<>(List.copyOf(records), wireBytes, new CompletableFuture<>());
    queue.add(pending);
    accepted.addAndGet(records.size());
    return pending.done();
  }

  /**
   * Refuses (and counts the refusal) when a request of this size would not be taken now. Receivers
   * call it before decoding, so that under overload refusing costs no decoding work.
   *
   * @throws PipelineFullException when the pipeline is full or shutting down
   */
  public void refuseIfFull(long wireBytes) {
    long held = heldRecords.get();
    if (!accepting
        || (held > 0
            && (held >= settings.maxQueuedRecords()
                || heldBytes.get() + wireBytes > settings.maxQueuedBytes()))) {
      refused.incrementAndGet();
      throw new PipelineFullException(name + " pipeline is full");
    }
  }

  /** An empty pipeline admits any single request, so an oversized one cannot be stuck forever. */
  private boolean reserve(int records, long bytes) {
    long held = heldRecords.addAndGet(records);
    long heldB = heldBytes.addAndGet(bytes);
    boolean alone = held == records && heldB == bytes;
    if (alone || (held <= settings.maxQueuedRecords() && heldB <= settings.maxQueuedBytes())) {
      return true;
    }
    release(records, bytes);
    return false;
  }

  private void release(long records, long bytes) {
    heldRecords.addAndGet(-records);
    heldBytes.addAndGet(-bytes);
  }

  /** Holds as much as it may: the next request that is not alone would be refused. */
  public boolean saturated() {
    return !accepting
        || heldRecords.get() >= settings.maxQueuedRecords()
        || heldBytes.get() >= settings.maxQueuedBytes();
  }

  public PipelineStats stats() {
    return new PipelineStats(
        heldRecords.get(),
        heldBytes.get(),
        accepted.get(),
        refused.get(),
        committedBatches.get(),
        failedBatches.get(),
        lastBatchRecords.get(),
        lastCommitNanos.get(),
        maxCommitNanos.get());
  }

  private void drain() {
    Pending<T> carried = null;
    while (true) {
      Pending<T> first;
      try {
        first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      carried = null;
      if (first == null) {
        if (!accepting && queue.isEmpty()) {
          return;
        }
        continue;
      }
      List<Pending<T>> batch = new ArrayList<>();
      batch.add(first);
      int size = first.records().size();
      long deadline = System.nanoTime() + settings.linger().toNanos();
      while (size < settings.maxBatchRecords()) {
        Pending<T> next;
        try {
          long wait = deadline - System.nanoTime();
          next = wait > 0 && accepting ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          next = null;
        }
        if (next == null) {
          break;
        }
        if (size + next.records().size() > settings.maxBatchRecords()) {
          carried = next; // starts the next batch: requests are never split
          break;
        }
        batch.add(next);
        size += next.records().size();
      }
      write(batch, size);
    }
  }

  private void write(List<Pending<T>> batch, int size) {
    List<T> records = new ArrayList<>(size);
    for (Pending<T> p : batch) {
      records.addAll(p.records());
    }
    long start = System.nanoTime();
    try {
      save.accept(records);
      long took = System.nanoTime() - start;
      committedBatches.incrementAndGet();
      lastBatchRecords.set(size);
      lastCommitNanos.set(took);
      maxCommitNanos.accumulateAndGet(took, Math::max);
      observer.batchWritten(name, size, took, true);
      batch.forEach(p -> finish(p, null));
    } catch (RuntimeException e) {
      failedBatches.incrementAndGet();
      observer.batchWritten(name, size, System.nanoTime() - start, false);
      if (batch.size() > 1 && permanentFailure.isInstance(e)) {
        batch.forEach(p -> write(List.of(p), p.records().size())); // isolate the bad request
      } else {
        batch.forEach(p -> finish(p, e));
      }
    }
  }

  private void finish(Pending<T> pending, RuntimeException failure) {
    release(pending.records().size(), pending.bytes());
    if (failure == null) {
      pending.done().complete(null);
    } else {
      pending.done().completeExceptionally(failure);
    }
  }

  /**
   * Stops taking requests and lets the writers commit what was taken, for at most {@code grace};
   * requests still waiting then fail as refused (retryable).
   */
  public void close(Duration grace) {
    accepting = false;
    long deadline = System.nanoTime() + grace.toNanos();
    for (Thread writer : writers) {
      try {
        writer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    writers.forEach(Thread::interrupt);
    for (Pending<T> p; (p = queue.poll()) != null; ) {
      finish(p, new PipelineFullException(name + " pipeline stopped before writing this request"));
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
