package io.ebsockets.bench.load;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Records a latency measurement second by second: prints each second's p50/p99/max, the server's
 * and the load tool's CPU and the machine's steal time to stderr, so that a tail can be told
 * apart as a few stalls or as queueing spread over the run, and returns the whole histogram.
 */
final class Timeline {
  /** The largest latency recorded as itself: 60 s (longer ones are recorded as 60 s). */
  static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final ServerProcess server;
  private final List<Double> stepP99Millis = new ArrayList<>();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /**
   * Prepares a timeline, reading each probe once: made before the load starts, so that loading
   * and compiling the probes (on the load tool's core) does not disturb the first seconds.
   */
  Timeline(ServerProcess server) {
    this.server = server;
    server.cpuNanos();
    os.getProcessCpuTime();
    stealTicks();
    loadGcMillis();
    Histogram warm = new Histogram(1, MAX_NANOS, 3);
    warm.recordValue(1);
    warm.add(new Histogram(1, MAX_NANOS, 3));
    line(warm, 0, 0, 0, 0, 0);
  }

  private static String line(Histogram interval, double at, double serverCpu, double loadCpu,
      long steal, long gc) {
    return String.format(Locale.ROOT,
        "  %s %6.1fs: %,9d values  p50 %6.2f  p99 %6.2f  max %6.2f ms  server cpu %3.0f%%"
            + "  load cpu %3.0f%%  steal %d ticks  load GC %d ms",
        java.time.LocalTime.now(java.time.ZoneId.systemDefault()), at, interval.getTotalCount(),
        interval.getValueAtPercentile(50) / 1e6, interval.getValueAtPercentile(99) / 1e6,
        interval.getMaxValue() / 1e6, serverCpu, loadCpu, steal, gc);
  }

  /**
   * Measures for {@code seconds}, starting from a reset {@code latency}, printing a line (latency,
   * the server's and the load tool's CPU, steal time, the load tool's GC time) every {@code
   * stepMillis}.
   *
   * @return every value recorded in those seconds
   */
  Histogram record(Recorder latency, int seconds, int stepMillis) {
    stepP99Millis.clear();
    Histogram total = new Histogram(1, MAX_NANOS, 3);
    latency.reset();
    long start = System.nanoTime();
    long serverCpu = server.cpuNanos();
    long loadCpu = os.getProcessCpuTime();
    long steal = stealTicks();
    long gcMillis = loadGcMillis();
    Histogram interval = null;
    long stepNanos = stepMillis * 1_000_000L;
    long steps = seconds * 1_000_000_000L / stepNanos;
    for (long s = 1; s <= steps; s++) {
      long end = start + s * stepNanos;
      long left;
      while ((left = end - System.nanoTime()) > 0) {
        LockSupport.parkNanos(left);
      }
      interval = latency.getIntervalHistogram(interval);
      total.add(interval);
      stepP99Millis.add(interval.getValueAtPercentile(99) / 1e6);
      long serverNow = server.cpuNanos();
      long loadNow = os.getProcessCpuTime();
      long stealNow = stealTicks();
      long gcNow = loadGcMillis();
      System.err.println(line(interval, s * stepNanos / 1e9,
          100.0 * (serverNow - serverCpu) / stepNanos, 100.0 * (loadNow - loadCpu) / stepNanos,
          stealNow - steal, gcNow - gcMillis));
      serverCpu = serverNow;
      loadCpu = loadNow;
      steal = stealNow;
      gcMillis = gcNow;
    }
    return total;
  }

  /** The p99 of each step of the last {@link #record}, in milliseconds, in order. */
  List<Double> stepP99Millis() {
    return List.copyOf(stepP99Millis);
  }

  /**
   * A latency recorder sized for 0..60 s from the start. An auto-resizing one grows by catching
   * an exception in the recording thread, the first time a longer value arrives after each
   * interval swap, and that deoptimises the load side's hot receive path in mid-measurement.
   */
  static Recorder newRecorder() {
    return new Recorder(1, MAX_NANOS, 3);
  }

  /** Records one latency, clamped into the recorder's range. */
  static void record(Recorder latency, long nanos) {
    latency.recordValue(Math.min(MAX_NANOS, Math.max(0, nanos)));
  }

  /** Time this JVM (the load tool) spent collecting garbage so far. */
  private static long loadGcMillis() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  /** The machine's steal time so far, in clock ticks (0 where /proc/stat has none). */
  private static long stealTicks() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      return cpu.length > 8 ? Long.parseLong(cpu[8]) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
