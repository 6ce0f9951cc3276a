package io.ebsockets.bench.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MpscLinkedQueue;
import org.jctools.queues.MpscUnboundedArrayQueue;
import org.jctools.queues.unpadded.MpscUnboundedUnpaddedArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a connection's outbound queue costs per frame: {@code burst} offers (the pump thread's
 * broadcast reaching this connection {@code burst} times) then polls until empty (the event
 * loop's write pass), on one thread. In the benchmarks' setup the pump thread and the I/O thread
 * share one core, so the cost that matters is the instructions (locked or not) and the
 * allocation per frame, not cache-line transfers between cores; this measures exactly those.
 * Candidates: the JDK's {@link ConcurrentLinkedQueue} (what {@code NettyConnection} used until
 * this benchmark) and JCTools' single-consumer queues, the array-backed ones also with each drain
 * under a lock (what it takes to keep a single consumer when a sender may have to release frames
 * itself). {@code NettyConnection} now uses the unpadded one, with chunks of 16 (8 here).
 *
 * <pre>
 * taskset -c 0 java -cp "$(cat ebsockets-bench/target/classpath.txt):ebsockets-bench/target/classes" \
 *     org.openjdk.jmh.Main OutboundQueueBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OutboundQueueBenchmark {
  /** Which queue. */
  @Param({"ConcurrentLinkedQueue", "MpscLinkedQueue", "MpscUnboundedArrayQueue",
      "MpscUnboundedArrayQueue+lock", "MpscUnboundedUnpaddedArrayQueue+lock"})
  public String queue;

  /** Frames offered before each drain. */
  @Param({"1", "8"})
  public int burst;

  private Queue<Object> q;
  private boolean locked;
  private final Object frame = new Object();

  @Setup
  public void setUp() {
    locked = queue.endsWith("+lock");
    q = switch (queue) {
      case "ConcurrentLinkedQueue" -> new ConcurrentLinkedQueue<>();
      case "MpscLinkedQueue" -> new MpscLinkedQueue<>();
      case "MpscUnboundedArrayQueue", "MpscUnboundedArrayQueue+lock" ->
          new MpscUnboundedArrayQueue<>(16);
      case "MpscUnboundedUnpaddedArrayQueue+lock" -> new MpscUnboundedUnpaddedArrayQueue<>(8);
      default -> throw new IllegalArgumentException("queue: " + queue);
    };
  }

  /** Offers {@code burst} frames, then drains the queue; the time is per burst. */
  @Benchmark
  @SuppressWarnings("SynchronizeOnNonFinalField") // q is set once, in the trial's @Setup
  public int offerThenDrain() {
    for (int i = 0; i < burst; i++) {
      q.offer(frame);
    }
    if (locked) {
      synchronized (q) {
        return drain();
      }
    }
    return drain();
  }

  private int drain() {
    int drained = 0;
    while (q.poll() != null) {
      drained++;
    }
    return drained;
  }
}
