package dev.glust.application.pipeline;

import dev.glust.application.port.in.PipelineFullException;
import dev.glust.application.port.in.PipelineStats;
import dev.glust.application.port.out.StorageRejectedException;
import dev.glust.application.port.out.StorageUnavailableException;
import dev.glust.domain.tenant.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;

/**
 * A bounded queue between receivers and storage. Requests are admitted only while the records and
 * bytes held (queued or being written) stay under their limits; otherwise they are refused at once.
 * Writers drain it, coalescing requests into batches of up to {@code maxBatchRecords} (a request is
 * never split), write each batch in one call of the save port per tenant among its requests, and
 * only then complete every request in it: an acknowledged record is committed.
 *
 * <p>Failures follow the save ports' contract. {@link StorageUnavailableException} (storage down or
 * busy) fails every request of the batch, to be retried. Any other exception of a batch of several
 * requests gets each request written alone before anyone is answered, so one bad request cannot
 * fail the others it happened to share a batch with; a request that fails alone with anything but
 * {@code StorageUnavailableException} is answered as permanent ({@link StorageRejectedException},
 * wrapping the failure when it is of another type): it reproduced the failure by itself, and
 * retrying it would only fail again. An {@link Error} (e.g. out of memory while encoding) is this
 * process's state, not the data's: the batch is answered as unavailable, without isolation.
 *
 * <p>Every taken request is answered, whatever happens: the writers survive any throwable, and a
 * request either is taken before {@link #close} stops the intake (then it is written or refused by
 * close) or is refused at once.
 */
public final class BatchingPipeline<T> implements AutoCloseable {
  private final String name;
  private final BiConsumer<TenantId, List<T>> save;
  private final PipelineSettings settings;
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

  /** Submit holds it shared while it checks and enqueues; close takes it to stop the intake. */
  private final ReadWriteLock intake = new ReentrantReadWriteLock();

  private volatile boolean accepting = true;

  /** {@code answered} guards the release of what it holds: exactly once, whoever answers. */
  private record Pending<T>(
      TenantId tenant,
      List<T> records,
      long bytes,
      CompletableFuture<Void> done,
      AtomicBoolean answered) {
    Pending(TenantId tenant, List<T> records, long bytes) {
      this(tenant, records, bytes, new CompletableFuture<>(), new AtomicBoolean());
    }
  }

  /**
   * @param save the storage port; it stores a tenant's list in one transaction or throws as the
   *     save ports say ({@link StorageUnavailableException}, {@link StorageRejectedException})
   */
  public BatchingPipeline(
      String name, BiConsumer<TenantId, List<T>> save, PipelineSettings settings) {
    this(name, save, settings, PipelineObserver.NONE);
  }

  /**
   * @param observer told about every batch written (metrics)
   */
  public BatchingPipeline(
      String name,
      BiConsumer<TenantId, List<T>> save,
      PipelineSettings settings,
      PipelineObserver observer) {
    this.observer = Objects.requireNonNull(observer);
    this.name = Objects.requireNonNull(name);
    this.save = Objects.requireNonNull(save);
    this.settings = Objects.requireNonNull(settings);
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
  public CompletableFuture<Void> submit(TenantId tenant, List<T> records, long wireBytes) {
    Objects.requireNonNull(tenant, "tenant");
    if (records.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Pending<T> pending = new Pending<>(tenant, List.copyOf(records), wireBytes);
    intake.readLock().lock();
    try {
      if (!accepting) {
        refused.incrementAndGet();
        throw new PipelineFullException(name + " pipeline is shutting down");
      }
      if (!reserve(pending.records().size(), wireBytes)) {
        refused.incrementAndGet();
        throw new PipelineFullException(
            name
                + " pipeline is full ("
                + heldRecords.get()
                + " records, "
                + heldBytes.get()
                + " bytes)");
      }
      queue.add(pending);
    } finally {
      intake.readLock().unlock();
    }
    accepted.addAndGet(pending.records().size());
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
      try {
        writeByTenant(batch);
      } catch (Throwable unexpected) { // e.g. the observer failed: the batch is still answered
        batch.forEach(p -> finish(p, unavailable(unexpected)));
      }
    }
  }

  /** Each tenant's requests in their own transaction: storage checks every row's tenant. */
  private void writeByTenant(List<Pending<T>> batch) {
    Map<TenantId, List<Pending<T>>> byTenant = new LinkedHashMap<>();
    for (Pending<T> p : batch) {
      byTenant.computeIfAbsent(p.tenant(), t -> new ArrayList<>()).add(p);
    }
    byTenant.forEach(
        (tenant, requests) ->
            write(tenant, requests, requests.stream().mapToInt(p -> p.records().size()).sum()));
  }

  private void write(TenantId tenant, List<Pending<T>> batch, int size) {
    List<T> records = new ArrayList<>(size);
    for (Pending<T> p : batch) {
      records.addAll(p.records());
    }
    long start = System.nanoTime();
    try {
      save.accept(tenant, records);
    } catch (Throwable e) {
      failedBatches.incrementAndGet();
      observe(size, System.nanoTime() - start, false);
      answerFailed(tenant, batch, e);
      return;
    }
    long took = System.nanoTime() - start;
    committedBatches.incrementAndGet();
    lastBatchRecords.set(size);
    lastCommitNanos.set(took);
    maxCommitNanos.accumulateAndGet(took, Math::max);
    observe(size, took, true);
    batch.forEach(p -> finish(p, null));
  }

  private void answerFailed(TenantId tenant, List<Pending<T>> batch, Throwable e) {
    if (e instanceof Error) {
      batch.forEach(p -> finish(p, unavailable(e)));
    } else if (e instanceof StorageUnavailableException) {
      batch.forEach(p -> finish(p, e));
    } else if (batch.size() > 1) {
      batch.forEach(p -> write(tenant, List.of(p), p.records().size())); // isolate the bad one
    } else {
      batch.forEach(p -> finish(p, permanent(e)));
    }
  }

  /** A failing observer (metrics) must not change what the clients are told. */
  private void observe(int size, long nanos, boolean committed) {
    try {
      observer.batchWritten(name, size, nanos, committed);
    } catch (RuntimeException ignored) {
      // the answers matter more than one lost measurement
    }
  }

  /** Our own state failed (not storage, not the data): the same request may succeed later. */
  private StorageUnavailableException unavailable(Throwable cause) {
    return new StorageUnavailableException(
        name + " pipeline failed while writing: " + cause, cause);
  }

  /** The request reproduced the failure alone: retrying it would fail again. */
  private static StorageRejectedException permanent(Throwable cause) {
    return cause instanceof StorageRejectedException rejected
        ? rejected
        : new StorageRejectedException(
            cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName(),
            cause);
  }

  private void finish(Pending<T> pending, Throwable failure) {
    if (!pending.answered().compareAndSet(false, true)) {
      return;
    }
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
    stopAccepting();
    awaitDrained(System.nanoTime() + grace.toNanos());
  }

  /**
   * Stops taking requests: every later {@link #submit} is refused, and every earlier one is in the
   * queue, for the writers or {@link #awaitDrained} to answer.
   */
  public void stopAccepting() {
    intake.writeLock().lock();
    try {
      accepting = false;
    } finally {
      intake.writeLock().unlock();
    }
  }

  /**
   * Lets the writers commit what was taken until {@code deadline} ({@link System#nanoTime}), then
   * refuses (retryable) what still waits. Call after {@link #stopAccepting}; several pipelines then
   * drain in parallel within one deadline.
   */
  public void awaitDrained(long deadline) {
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
