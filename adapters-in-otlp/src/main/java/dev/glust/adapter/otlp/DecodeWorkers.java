package dev.glust.adapter.otlp;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that decode export requests of both transports, off their event loops, in arrival
 * order. A request that waited longer than the queue-wait bound for a thread is refused at once,
 * undecoded, with a retryable status. Under CPU overload the queue then stays short and accepted
 * requests keep a bounded latency, where otherwise every request would wait its turn in queues
 * nobody bounds (transport buffers, HTTP/2 flow-control windows, the client's own).
 *
 * <p>The queue holds at most {@code maxQueued} tasks, so the requests it holds undecoded (each up
 * to the request size limit) are bounded too. A task that finds it full runs at once on the thread
 * that handed it over (a network thread), marked as refused: the receivers' {@link
 * #refuseIfOverloaded} answers it with the same retryable status as a request that waited too long,
 * without decoding it. (gRPC hands over every callback of a call here and none may be dropped; the
 * ones that are not decoding are short.)
 */
final class DecodeWorkers implements Executor, AutoCloseable {
  /**
   * For the task running on this thread: when it was queued (System.nanoTime, or 0 outside a task)
   * and whether it found the queue full (1) or not (0).
   */
  private static final ThreadLocal<long[]> TASK = ThreadLocal.withInitial(() -> new long[2]);

  private final ExecutorService pool;
  private final long maxWaitNanos;
  private final int maxQueued;

  DecodeWorkers(int threads, Duration maxQueueWait, int maxQueued) {
    if (maxQueued <= 0) {
      throw new IllegalArgumentException("the decode queue must hold at least one request");
    }
    AtomicInteger number = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(maxQueued),
            task -> {
              Thread thread = new Thread(task, "glust-otlp-decode-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            },
            (task, executor) -> {
              if (executor.isShutdown()) {
                throw new RejectedExecutionException("decode workers are shut down");
              }
              ((Stamped) task).run(true);
            });
    this.maxWaitNanos = maxQueueWait.toNanos();
    this.maxQueued = maxQueued;
  }

  /** One thread per core: decoding is pure CPU work. */
  static int defaultThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public void execute(Runnable task) {
    pool.execute(new Stamped(task, System.nanoTime()));
  }

  /** A task and when it was handed over; it runs with both known to {@link #refuseIfOverloaded}. */
  private record Stamped(Runnable task, long queuedAt) implements Runnable {
    @Override
    public void run() {
      run(false);
    }

    void run(boolean queueFull) {
      long[] current = TASK.get();
      long[] outer = current.clone(); // a refused task runs inside whatever its thread was doing
      current[0] = queuedAt;
      current[1] = queueFull ? 1 : 0;
      try {
        task.run();
      } finally {
        current[0] = outer[0];
        current[1] = outer[1];
      }
    }
  }

  /**
   * When the request handled on this thread arrived, as far as the receivers can tell: when its
   * task was queued here. {@code System.nanoTime()} now when called outside a task (a direct call).
   */
  static long arrivedAt() {
    long queuedAt = TASK.get()[0];
    return queuedAt != 0 ? queuedAt : System.nanoTime();
  }

  /**
   * Refuses the current request if it found the queue full or waited longer than the bound for a
   * thread.
   */
  void refuseIfOverloaded() {
    if (TASK.get()[1] != 0) {
      throw new ReceiverBusyException(maxQueued);
    }
    long waited = System.nanoTime() - arrivedAt();
    if (waited > maxWaitNanos) {
      throw new ReceiverBusyException(Duration.ofNanos(waited));
    }
  }

  /** Lets queued requests finish (their answers are due), for at most a few seconds. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
