package dev.glust.adapter.otlp;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that decode export requests of both transports, off their event loops, in arrival
 * order. A request that waited longer than the queue-wait bound for a thread is refused at once,
 * undecoded, with a retryable status. Under CPU overload the queue then stays short and accepted
 * requests keep a bounded latency, where otherwise every request would wait its turn in queues
 * nobody bounds (transport buffers, HTTP/2 flow-control windows, the client's own).
 */
final class DecodeWorkers implements Executor, AutoCloseable {
  /** When the task running on this thread was queued (System.nanoTime), or 0 outside a task. */
  private static final ThreadLocal<long[]> QUEUED_AT = ThreadLocal.withInitial(() -> new long[1]);

  private final ExecutorService pool;
  private final long maxWaitNanos;

  DecodeWorkers(int threads, Duration maxQueueWait) {
    AtomicInteger number = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            task -> {
              Thread thread = new Thread(task, "glust-otlp-decode-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.maxWaitNanos = maxQueueWait.toNanos();
  }

  /** One thread per core: decoding is pure CPU work. */
  static int defaultThreads() {
    return Math.max(2, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public void execute(Runnable task) {
    long queuedAt = System.nanoTime();
    pool.execute(
        () -> {
          long[] stamp = QUEUED_AT.get();
          stamp[0] = queuedAt;
          try {
            task.run();
          } finally {
            stamp[0] = 0;
          }
        });
  }

  /**
   * When the request handled on this thread arrived, as far as the receivers can tell: when its
   * task was queued here. {@code System.nanoTime()} now when called outside a task (a direct call).
   */
  static long arrivedAt() {
    long queuedAt = QUEUED_AT.get()[0];
    return queuedAt != 0 ? queuedAt : System.nanoTime();
  }

  /** Refuses the current request if it waited longer than the bound for a thread. */
  void refuseIfWaitedTooLong() {
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
