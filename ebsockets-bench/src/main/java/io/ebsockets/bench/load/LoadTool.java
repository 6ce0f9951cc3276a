package io.ebsockets.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load scenarios, each run against the ebsockets server and the raw-Netty baseline in the same
 * invocation, each server in a JVM of its own (pinned with {@code --server-cpus}). Prints one
 * Markdown table row per measurement with the ratio ebsockets/baseline.
 *
 * <pre>
 * java -cp ... io.ebsockets.bench.load.LoadTool --scenario broadcast --clients 100
 * </pre>
 *
 * Scenarios: {@code broadcast} (saturation, then fixed rate at half of it), {@code echo}
 * (saturation, then fixed rate at half), {@code connections} (idle clients: heap per
 * connection, then one broadcast that all must receive), {@code idle} (server CPU with idle
 * clients, heartbeats on). Options: {@code --clients N --senders K --window W --seconds S
 * --server-cpus 0 --io-threads 1 --impls ebsockets,baseline --server-jvm "-Xmx2g ..."}, and for quick experiments {@code --fixed-max R}
 * (skip the saturation search; run the fixed-rate phase at R/2), {@code --saturation-only true}
 * (the search alone, no fixed-rate phase), {@code --repeat R} (broadcast: R saturation searches
 * per server, taking turns; the median sets the fixed rate), {@code --flat-minutes M
 * --flat-share F} (then M minutes at F of the maximum, default 0.95, heap after GC each minute),
 * {@code --lead-in-seconds S} (default 5: at the fixed rate before recording), {@code
 * --timeline-ms T} (default 1000: the per-interval lines), {@code --settle-seconds S} (idle:
 * default 30, from the last connect to the measured window) and {@code --write-coalescing-us U}
 * (both servers' write-coalescing window; default theirs, 1 ms).
 */
public final class LoadTool {
  private final Map<String, String> args;
  private final List<String> serverPrefix;
  private final List<String> serverJvm;

  private LoadTool(Map<String, String> args) {
    this.args = args;
    String cpus = args.getOrDefault("server-cpus", "");
    this.serverPrefix = cpus.isEmpty() ? List.of() : List.of("taskset", "-c", cpus);
    this.serverJvm = List.of(args.getOrDefault("server-jvm",
        "-Xms1g -Xmx1g -XX:+UseParallelGC -XX:NativeMemoryTracking=summary").split(" "));
  }

  private int intArg(String name, int fallback) {
    return Integer.parseInt(args.getOrDefault(name, Integer.toString(fallback)));
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Cli.parse("LoadTool",
        "Load scenarios against ebsockets and the raw-Netty baseline, in one run.",
        java.util.List.of(
            Cli.option("scenario", "broadcast|echo|idle|connections", "what to measure (default broadcast)"),
            Cli.option("impls", "LIST", "servers to measure, comma-separated (default ebsockets,baseline;"
                + " ebsockets-ws is ebsockets through its WebSocket door, ebsockets-resume with"
                + " resumable sessions, every client asking for one, ebsockets-metrics with its"
                + " Prometheus page scraped every second)"),
            Cli.option("clients", "N", "clients"),
            Cli.option("senders", "K", "clients that send (broadcast)"),
            Cli.option("window", "W", "requests in flight per client (echo)"),
            Cli.option("padding", "BYTES", "extra bytes per event"),
            Cli.option("repeat", "R", "saturation searches per server (median reported)"),
            Cli.option("step-seconds", "S", "length of one saturation step"),
            Cli.option("start-rate", "RATE", "first offered rate of the search"),
            Cli.option("fixed-max", "RATE", "skip the search: take this as the maximum"),
            Cli.option("fixed-seconds", "S", "length of the fixed-rate latency phase"),
            Cli.option("arrivals", "burst|smooth", "senders ticked every 200 µs (default) or 50 µs"),
            Cli.option("tick-us", "MICROS", "the senders' tick, overriding --arrivals"),
            Cli.option("cold-start-seconds", "S", "first measure the fresh server this long, unwarmed"),
            Cli.option("saturation-only", "true|false", "stop after the search"),
            Cli.option("overload-seconds", "S", "offer twice the maximum this long"),
            Cli.option("flat-minutes", "M", "saturated minutes with the heap sampled each minute"),
            Cli.option("flat-share", "SHARE", "share of the maximum offered in the flat run (default 0.95)"),
            Cli.option("warmup-seconds", "S", "warm-up before measuring"),
            Cli.option("lead-in-seconds", "S", "lead-in before each phase"),
            Cli.option("settle-seconds", "S", "wait before measuring idle CPU"),
            Cli.option("seconds", "S", "length of the idle measurement"),
            Cli.option("connect-rate", "RATE", "connections per second (connections scenario)"),
            Cli.option("load-threads", "N", "threads of the load engine"),
            Cli.option("timeline-ms", "MILLIS", "print a timeline line every so often"),
            Cli.option("server-cpus", "LIST", "CPUs to pin the server to (taskset)"),
            Cli.option("server-jvm", "FLAGS", "the server JVM's options"),
            Cli.option("io-threads", "N", "the server's I/O threads"),
            Cli.option("write-coalescing-us", "MICROS", "the servers' write-coalescing window")),
        argv);
    new LoadTool(args).run();
    System.exit(0);
  }

  /** Where {@code RelayServer --door ws} answers the upgrade. */
  static final String WEB_SOCKET_PATH = "/ebs";

  private void run() throws Exception {
    String scenario = args.getOrDefault("scenario", "broadcast");
    Map<String, Map<String, Double>> results = new java.util.LinkedHashMap<>();
    String[] impls = args.getOrDefault("impls", "ebsockets,baseline").split(",");
    String fixedMax = args.get("fixed-max");
    Map<String, Map<String, Double>> searches =
        scenario.equals("broadcast") && fixedMax == null ? searchAll(impls) : Map.of();
    for (String impl : impls) {
      System.err.printf(Locale.ROOT, "== %s against %s%n", scenario, impl);
      Map<String, Double> result;
      if (fixedMax != null && (scenario.equals("broadcast") || scenario.equals("echo"))) {
        // Experiments: skip the saturation search and take the maximum as given.
        result = new java.util.LinkedHashMap<>();
        result.put("max (given)", Double.parseDouble(fixedMax));
      } else if (scenario.equals("broadcast")) {
        result = searches.get(impl);
      } else try (ServerProcess server = startServer(impl, scenario)) {
        result = switch (scenario) {
          case "echo" -> echo(server, null);
          case "connections" -> connections(server);
          case "idle" -> idle(server);
          default -> throw new IllegalArgumentException("scenario: " + scenario
              + " (expected: broadcast, echo, connections or idle)");
        };
      }
      // The fixed-rate half runs on a fresh server: a server without backpressure (the
      // baseline) can be left with a backlog it never recovers from by the saturation steps.
      if ((scenario.equals("broadcast") || scenario.equals("echo"))
          && !Boolean.parseBoolean(args.getOrDefault("saturation-only", "false"))) {
        System.err.printf(Locale.ROOT, "== %s against %s, fixed rate, fresh server%n", scenario, impl);
        Double max = result.values().iterator().next();
        try (ServerProcess server = startServer(impl, scenario)) {
          result.putAll(
              scenario.equals("broadcast") ? broadcast(server, max, null) : echo(server, max));
        }
        // On a fresh server of its own: a cold server that falls behind would otherwise leave
        // the next phase a backlog (the baseline, without backpressure, never works it off).
        if (scenario.equals("broadcast") && intArg("cold-start-seconds", 0) > 0) {
          System.err.printf(Locale.ROOT, "== %s against %s, cold start, fresh server%n", scenario, impl);
          try (ServerProcess server = startServer(impl, scenario)) {
            result.putAll(coldStart(server, max));
          }
        }
      }
      results.put(impl, result);
    }
    // Columns: the first server named, then the second (ebsockets and the baseline by default;
    // ebsockets-ws and ebsockets for the WebSocket door against the TCP door).
    Map<String, Double> e = results.get(impls[0]);
    Map<String, Double> b = impls.length > 1 ? results.get(impls[1]) : null;
    for (String metric : (e != null ? e : b).keySet()) {
      double ev = e == null ? Double.NaN : e.get(metric);
      double bv = b == null ? Double.NaN : b.getOrDefault(metric, Double.NaN);
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", scenario + " " + label(), metric,
          fmt(ev), fmt(bv), Double.isNaN(ev) || Double.isNaN(bv) || bv == 0 ? "-" : String.format(Locale.ROOT, "%.2f", ev / bv));
    }
  }

  private String label() {
    return switch (args.getOrDefault("scenario", "broadcast")) {
      case "broadcast" -> "N=" + intArg("clients", 100) + " K=" + intArg("senders", 10)
          + (args.getOrDefault("arrivals", "burst").equals("smooth") ? " smooth" : "");
      case "echo" -> "C=" + intArg("clients", 1000) + " W=" + intArg("window", 2);
      default -> "N=" + intArg("clients", 10_000);
    };
  }

  private static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private ServerProcess startServer(String impl, String scenario) throws IOException {
    boolean echo = scenario.equals("echo");
    // Every server gets the same I/O threads and, if given, the same write-coalescing window.
    List<String> serverArgs =
        new ArrayList<>(List.of("--io-threads", args.getOrDefault("io-threads", "1")));
    if (args.containsKey("write-coalescing-us")) {
      serverArgs.addAll(List.of("--write-coalescing-us", args.get("write-coalescing-us")));
    }
    String mainClass;
    boolean webSocket = impl.equals("ebsockets-ws");
    boolean sessions = impl.equals("ebsockets-resume");
    boolean metrics = impl.equals("ebsockets-metrics");
    int metricsPort = metrics ? ServerProcess.freePort() : 0;
    if (impl.equals("ebsockets") || webSocket || sessions || metrics) {
      mainClass = echo ? "io.ebsockets.bench.server.EchoServer" : "io.ebsockets.examples.RelayServer";
      if (!echo) {
        serverArgs.add("--quiet");
      }
      if (webSocket) {
        serverArgs.addAll(List.of("--door", "ws"));
      }
      if (sessions) {
        serverArgs.add("--resumable");
      }
      if (metrics) {
        serverArgs.addAll(List.of("--metrics", Integer.toString(metricsPort)));
      }
    } else {
      mainClass = "io.ebsockets.bench.server.BaselineServer";
      serverArgs.addAll(List.of("--mode", echo ? "echo" : "relay"));
    }
    ServerProcess server = ServerProcess.start(mainClass, serverPrefix, new ArrayList<>(serverJvm),
        Path.of("target", "server-" + impl + ".log"), serverArgs);
    if (sessions) {
      server.withSessions();
    }
    if (metrics) {
      server.scrapeEverySecond(metricsPort);
    }
    return webSocket ? server.webSocketDoor(WEB_SOCKET_PATH) : server;
  }

  // ------------------------------------------------------------------------------ broadcast

  /** Counts deliveries and checks each sender's sequence at each receiver. */
  private static final class Receiver implements LoadClient.Listener {
    final LongAdder delivered;
    final LongAdder duplicated;
    final Recorder latency;
    final long[] next;

    Receiver(int senders, LongAdder delivered, LongAdder duplicated, Recorder latency) {
      this.next = new long[senders];
      this.delivered = delivered;
      this.duplicated = duplicated;
      this.latency = latency;
    }

    @Override
    public void onLoad(LoadClient client, int sender, long seq, long sendNanos, long now) {
      delivered.increment();
      if (seq < next[sender]) {
        duplicated.increment();
      } else {
        next[sender] = seq + 1;
      }
      // Always recorded (a phase that needs it resets the recorder first): a branch that starts
      // recording mid-run deoptimises this method in the middle of the measurement, and the
      // load side then runs interpreted for a second or two (p99 70-100 ms in those seconds).
      Timeline.record(latency, now - sendNanos);
    }
  }

  /**
   * How often the senders' tickers run: {@code --arrivals burst} (the default) every 200 µs,
   * {@code smooth} every 50 µs, or {@code --tick-us} as given. At 200 µs the ten senders'
   * messages due reach the server a few at a time, in one read pass; at 50 µs (chat-like
   * traffic, as an outside load generator paces it) they arrive one by one.
   */
  private long tickMicros() {
    String arrivals = args.getOrDefault("arrivals", "burst");
    long byShape = switch (arrivals) {
      case "burst" -> 200;
      case "smooth" -> 50;
      default -> throw new IllegalArgumentException(
          "--arrivals " + arrivals + " (expected: burst or smooth)");
    };
    return Long.parseLong(args.getOrDefault("tick-us", Long.toString(byShape)));
  }

  /**
   * Sends at a fixed total rate spread over the senders, open loop: one ticker per load event
   * loop (every {@link #tickMicros}) sends, for each of its senders, the messages due by the
   * clock, each stamped with its intended send time and flushed on its own.
   */
  private final class Senders {
    final List<ScheduledFuture<?>> tickers = new ArrayList<>();
    final AtomicLong[] sent;

    Senders(LoadClient[] senders, double totalRate, int padding) {
      sent = new AtomicLong[senders.length];
      double perSender = totalRate / senders.length;
      long start = System.nanoTime();
      Map<io.netty.channel.EventLoop, List<Integer>> byLoop = new HashMap<>();
      for (int i = 0; i < senders.length; i++) {
        sent[i] = new AtomicLong();
        byLoop.computeIfAbsent(senders[i].channel().eventLoop(), l -> new ArrayList<>()).add(i);
      }
      // Each sender's schedule is shifted by its share of the period, so that the senders do
      // not all fire in the same tick (a synchronized burst would show as latency).
      double period = 1e9 / perSender;
      byLoop.forEach((loop, ids) -> tickers.add(loop.scheduleAtFixedRate(() -> {
        long now = System.nanoTime();
        for (int id : ids) {
          long offset = (long) (period * id / senders.length);
          long due = now - start - offset < 0 ? 0 : 1 + (long) ((now - start - offset) / period);
          Channel channel = senders[id].channel();
          AtomicLong count = sent[id];
          long seq = count.get();
          if (seq >= due || !channel.isActive()) {
            continue;
          }
          for (; seq < due; seq++) {
            long intended = start + offset + (long) (seq * period);
            channel.write(Wire.loadFrame(channel.alloc(), id, seq, intended, padding),
                channel.voidPromise());
          }
          count.set(seq);
          channel.flush();
        }
      }, 0, tickMicros(), TimeUnit.MICROSECONDS)));
    }

    long total() {
      long n = 0;
      for (AtomicLong a : sent) {
        n += a.get();
      }
      return n;
    }

    void stop() {
      tickers.forEach(t -> t.cancel(false));
    }
  }

  /**
   * {@code --repeat R} saturation searches per server (default 1), the servers taking turns
   * (A, B, A, B, ...) so that a slow quarter of an hour on the machine hits both alike. The
   * result is each server's median search, followed by every search in the order run: one
   * pause near capacity moves a single search by a whole step, the median of several does not.
   */
  private Map<String, Map<String, Double>> searchAll(String[] impls) throws IOException {
    int repeat = intArg("repeat", 1);
    Map<String, List<Double>> found = new java.util.LinkedHashMap<>();
    for (int r = 0; r < repeat; r++) {
      for (String impl : impls) {
        System.err.printf(Locale.ROOT, "== saturation search %d of %d against %s%n",
            r + 1, repeat, impl);
        found.computeIfAbsent(impl, k -> new ArrayList<>()).add(saturate(impl));
      }
    }
    Map<String, Map<String, Double>> out = new HashMap<>();
    found.forEach((impl, maxima) -> {
      Map<String, Double> result = new java.util.LinkedHashMap<>();
      List<Double> sorted = new ArrayList<>(maxima);
      sorted.sort(null);
      result.put(repeat == 1 ? "max deliveries/s" : "max deliveries/s (median of " + repeat + ")",
          sorted.get(sorted.size() / 2));
      if (repeat > 1) {
        for (int r = 0; r < repeat; r++) {
          result.put("max deliveries/s, search " + (r + 1), maxima.get(r));
        }
      }
      out.put(impl, result);
    });
    return out;
  }

  /**
   * The saturation search: ramps the offered rate by 25% per step until fewer than 99% of the
   * expected deliveries arrive (a failed step is tried once more), then bisects between the last
   * good and the failed rate three times. A server that a failed step leaves with a backlog it
   * never drains (the baseline has no backpressure) is replaced by a fresh one, which carries on
   * from the same rate: otherwise one early failure would end the search on a dead server and
   * the result would be whichever 25% step came before it.
   */
  private double saturate(String impl) throws IOException {
    Ramp ramp = new Ramp(
        Double.parseDouble(args.getOrDefault("start-rate", Integer.toString(200_000 / intArg("clients", 100)))));
    while (!ramp.done()) {
      try (ServerProcess server = startServer(impl, "broadcast")) {
        broadcast(server, null, ramp);
      }
      if (!ramp.done()) {
        System.err.println("  the server did not drain its backlog: a fresh server carries on");
      }
    }
    return ramp.best;
  }

  /** Where the saturation search stands; survives a server restart. */
  private static final class Ramp {
    final double start;
    double rate;
    double best;
    double good;
    double failed;
    int bisections;
    boolean retrying;

    Ramp(double startRate) {
      this.start = startRate;
      this.rate = startRate;
    }

    boolean done() {
      return bisections >= 3 || (failed != 0 && good == 0);
    }

    /** Records a step at {@link #rate} and picks the next rate (the same one for a retry). */
    void record(double perSecond, double offeredDeliveries) {
      boolean ok = perSecond / offeredDeliveries >= 0.99;
      if (!ok && !retrying) {
        // One more try: a single collection or scheduling hiccup should not end the ramp.
        retrying = true;
        return;
      }
      retrying = false;
      if (ok) {
        best = Math.max(best, perSecond);
        good = rate;
      } else {
        failed = rate;
      }
      if (failed == 0) {
        rate *= 1.25;
      } else if (good != 0) {
        bisections++;
        rate = (good + failed) / 2;
      }
    }
  }

  /**
   * With a {@code ramp}: saturation steps on this server until the ramp is done or a step leaves
   * a backlog the server does not drain. Without: the fixed-rate phase at half of {@code
   * knownMax}, open loop, for latency (and the overload and flat phases if asked for).
   */
  private Map<String, Double> broadcast(ServerProcess server, Double knownMax, Ramp ramp)
      throws IOException {
    int clients = intArg("clients", 100);
    int senderCount = intArg("senders", 10);
    int padding = intArg("padding", 40); // ~64 bytes of content
    double step = intArg("step-seconds", 3);
    LongAdder delivered = new LongAdder();
    LongAdder duplicated = new LongAdder();
    Recorder latency = Timeline.newRecorder();
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    try (LoadEngine engine = LoadEngine.of(server, intArg("load-threads", 1))) {
      List<Receiver> receivers = new ArrayList<>();
      LoadClient[] all = engine.connectMany(clients, 2000, i -> {
        Receiver r = new Receiver(senderCount, delivered, duplicated, latency);
        receivers.add(r);
        return new LoadClient(i, r);
      });
      LoadClient[] senders = java.util.Arrays.copyOf(all, senderCount);
      settle(delivered);
      if (ramp == null) {
        fixedBroadcast(server, senders, receivers, delivered, duplicated, latency, knownMax,
            clients, padding, out);
        // Readers that keep up must never be dropped, overload or not: the server slows the
        // senders instead.
        out.put("clients closed by the server",
            (double) java.util.Arrays.stream(all).filter(LoadClient::isClosed).count());
        LoadEngine.closeAll(all);
        return out;
      }
      // A warm-up step at the start rate lets the JIT settle before anything is measured; a
      // fresh server replacing a wedged one also gets a step at half the last good rate.
      for (double warm : ramp.good > 0 ? new double[] {ramp.start, ramp.good / 2}
          : new double[] {ramp.start}) {
        Senders warmUp = new Senders(senders, warm, padding);
        park(step);
        warmUp.stop();
        settle(delivered);
        receivers.forEach(r -> java.util.Arrays.fill(r.next, 0));
      }
      while (!ramp.done()) {
        Step result = step(senders, receivers, delivered, ramp.rate, clients, padding, step);
        ramp.record(result.perSecond(), ramp.rate * clients);
        if (!result.drained()) {
          break; // a backlog this server will not work off: continue on a fresh one
        }
      }
      LoadEngine.closeAll(all);
    }
    return out;
  }

  /**
   * Warms a fresh server up for a fixed-rate measurement: a quarter, half and three quarters of
   * {@code rate} for 2 s each (so a cold JIT does not start with a backlog), then the full rate
   * for {@code --warmup-seconds} (default 30). The long step matters: for the first ~15 s a
   * server's long-lived objects (connections, buffers, JIT data) are still young and are copied
   * by every young GC until they are tenured, which makes those pauses 10-18 ms instead of under
   * 1 ms; measuring before that measures the start-up, not the steady state.
   *
   * @param afterStep run after each step, once the step's events have arrived
   */
  private void warmUp(LoadClient[] senders, double rate, int padding, LongAdder arrived,
      Runnable afterStep) {
    int fullSeconds = intArg("warmup-seconds", 30);
    for (double share : new double[] {0.25, 0.5, 0.75, 1.0}) {
      Senders warmUp = new Senders(senders, rate * share, padding);
      park(share < 1.0 ? 2 : fullSeconds);
      warmUp.stop();
      settle(arrived);
      afterStep.run();
    }
  }

  private void fixedBroadcast(ServerProcess server, LoadClient[] senders, List<Receiver> receivers,
      LongAdder delivered, LongAdder duplicated, Recorder latency, double best, int clients,
      int padding, Map<String, Double> out) {
    {
      double fixedRate = best / 2 / clients;
      warmUp(senders, fixedRate, padding, delivered, () -> {
        receivers.forEach(r -> java.util.Arrays.fill(r.next, 0));
        // Flip the recorder's phase between warm-up steps, as the timeline will each second:
        // HdrHistogram's recording path branches on the phase's parity, and a path the JIT
        // compiled with only one parity seen is deoptimised at the first flip in the middle of
        // the measurement (a 30-50 ms load-side stall in second 2, counted as server latency,
        // and only for whichever server the load JVM measured first: ebsockets).
        latency.getIntervalHistogram();
      });
      Timeline timeline = new Timeline(server);
      long before = delivered.sum();
      Senders load = new Senders(senders, fixedRate, padding);
      // Measure the steady state at this rate, not the seconds in which it resumes after the
      // warm-up's pause.
      park(intArg("lead-in-seconds", 5));
      Histogram h = timeline.record(latency, intArg("fixed-seconds", 10),
          intArg("timeline-ms", 1000));
      load.stop();
      settle(delivered);
      h.add(latency.getIntervalHistogram()); // the last messages, still in flight at the end
      long sent = load.total();
      long got = delivered.sum() - before;
      out.put("fixed deliveries/s", fixedRate * clients);
      out.put("p50 ms", h.getValueAtPercentile(50) / 1e6);
      out.put("p99 ms", h.getValueAtPercentile(99) / 1e6);
      out.put("p99.9 ms", h.getValueAtPercentile(99.9) / 1e6);
      out.put("max ms", h.getMaxValue() / 1e6);
      out.put("lost (fixed run)", (double) (sent * clients - got));
      out.put("duplicated", (double) duplicated.sum());
      out.put("server RSS MiB", server.rssBytes() / 1048576.0);
      int flatMinutes = intArg("flat-minutes", 0);
      if (flatMinutes > 0) {
        flat(server, senders, delivered, best / clients, clients, padding, flatMinutes, out);
      }
      int overload = intArg("overload-seconds", 0);
      if (overload > 0) {
        overload(server, senders, receivers, delivered, latency, best / clients, clients, padding,
            overload, out);
      }
    }
  }

  /**
   * Half the known maximum on a fresh server, with no warm-up: the p99 of each of its first
   * seconds (the server was started moments before, for these clients), so that a JIT still
   * compiling on the server's one core, or objects not yet tenured, show as what a first user
   * would see. The steady state to compare with is the fixed phase's p99, at the same rate.
   */
  private Map<String, Double> coldStart(ServerProcess server, double knownMax) throws IOException {
    int clients = intArg("clients", 100);
    int senderCount = intArg("senders", 10);
    int padding = intArg("padding", 40);
    int seconds = intArg("cold-start-seconds", 10);
    LongAdder delivered = new LongAdder();
    Recorder latency = Timeline.newRecorder();
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    try (LoadEngine engine = LoadEngine.of(server, intArg("load-threads", 1))) {
      LoadClient[] all = engine.connectMany(clients, 2000,
          i -> new LoadClient(i, new Receiver(senderCount, delivered, new LongAdder(), latency)));
      LoadClient[] senders = java.util.Arrays.copyOf(all, senderCount);
      Timeline timeline = new Timeline(server);
      Senders load = new Senders(senders, knownMax / 2 / clients, padding);
      timeline.record(latency, seconds, 1000);
      load.stop();
      List<Double> p99s = timeline.stepP99Millis();
      double worst = 0;
      for (int i = 0; i < p99s.size(); i++) {
        out.put("cold start: p99 ms, second " + (i + 1), p99s.get(i));
        worst = Math.max(worst, p99s.get(i));
      }
      out.put("cold start: worst second's p99 ms", worst);
      LoadEngine.closeAll(all);
    }
    return out;
  }

  /**
   * Saturated broadcast for some minutes (at 95% of the measured maximum, so that it is
   * sustained), with the server's heap after a full GC sampled each minute: it must not grow.
   */
  private void flat(ServerProcess server, LoadClient[] senders, LongAdder delivered,
      double sustainable, int clients, int padding, int minutes, Map<String, Double> out) {
    double share = Double.parseDouble(args.getOrDefault("flat-share", "0.95"));
    Senders load = new Senders(senders, share * sustainable, padding);
    out.put("saturated " + minutes + " min: offered deliveries/s", share * sustainable * clients);
    long before = delivered.sum();
    long start = System.nanoTime();
    StringBuilder samples = new StringBuilder();
    for (int minute = 1; minute <= minutes; minute++) {
      park(60);
      long heap = server.heapAfterFullGc();
      samples.append(String.format(Locale.ROOT, " %.1f", heap / 1048576.0));
      out.put("saturated " + minutes + " min: heap after GC at minute " + minute + ", MiB",
          heap / 1048576.0);
    }
    load.stop();
    double seconds = (System.nanoTime() - start) / 1e9;
    out.put("saturated " + minutes + " min: deliveries/s", (delivered.sum() - before) / seconds);
    out.put("saturated " + minutes + " min: server RSS at the end, MiB", server.rssBytes() / 1048576.0);
    System.err.println("  heap after GC each minute (MiB):" + samples);
    settle(delivered);
  }

  /**
   * Offers twice the sustainable rate for a while, watching the server's memory, then measures
   * latency at half the sustainable rate again: backpressure, not an ever-growing backlog.
   */
  private void overload(ServerProcess server, LoadClient[] senders, List<Receiver> receivers,
      LongAdder delivered, Recorder latency, double sustainable, int clients, int padding,
      int seconds, Map<String, Double> out) {
    long heapBefore = server.heapAfterFullGc();
    long rssBefore = server.rssBytes();
    long before = delivered.sum();
    long rssPeak = rssBefore;
    Senders load = new Senders(senders, 2 * sustainable, padding);
    // What the server delivers while offered more than it can take is its capacity, held by
    // its backpressure (a steadier figure than a saturation step's pass or fail): counted from
    // the 5th second, once the excess has filled the queues.
    int from = Math.min(4, seconds - 1);
    long deliveredFrom = 0;
    long fromNanos = 0;
    for (int i = 0; i < seconds; i++) {
      if (i == from) {
        deliveredFrom = delivered.sum();
        fromNanos = System.nanoTime();
      }
      park(1);
      rssPeak = Math.max(rssPeak, server.rssBytes());
    }
    out.put("overload 2x: deliveries/s while offered",
        (delivered.sum() - deliveredFrom) / ((System.nanoTime() - fromNanos) / 1e9));
    load.stop();
    long sent = load.total();
    // The excess waits in the senders' sockets (the server stopped reading them): time how long
    // the server takes to work it off once the load drops.
    long drainStart = System.nanoTime();
    long drainDeadline = drainStart + TimeUnit.SECONDS.toNanos(180);
    while (delivered.sum() < before + sent * clients && System.nanoTime() < drainDeadline) {
      park(0.1);
    }
    out.put("overload 2x: seconds to drain the backlog", (System.nanoTime() - drainStart) / 1e9);
    long heapAfter = server.heapAfterFullGc();
    receivers.forEach(r -> java.util.Arrays.fill(r.next, 0));
    out.put("overload 2x: server heap after GC, before MiB", heapBefore / 1048576.0);
    out.put("overload 2x: server heap after GC, after MiB", heapAfter / 1048576.0);
    out.put("overload 2x: server RSS peak MiB", rssPeak / 1048576.0);
    latency.reset();
    Senders recovery = new Senders(senders, sustainable / 2, padding);
    park(10);
    recovery.stop();
    settle(delivered);
    Histogram h = latency.getIntervalHistogram();
    out.put("after overload, half rate: p99 ms", h.getValueAtPercentile(99) / 1e6);
  }

  /**
   * One saturation step's result.
   *
   * @param perSecond the delivery rate over the step's steady part
   * @param drained whether everything sent in the step was delivered once it settled
   */
  private record Step(double perSecond, boolean drained) {}

  /** Runs one step at a fixed offered rate. */
  private Step step(LoadClient[] senders, List<Receiver> receivers, LongAdder delivered,
      double rate, int clients, int padding, double step) {
    long before = delivered.sum();
    Senders load = new Senders(senders, rate, padding);
    // Measure over the step's steady part: after half a second, until the end. A server that
    // keeps up delivers at the offered rate, whatever its latency.
    park(0.5);
    long windowStart = delivered.sum();
    long windowStartNanos = System.nanoTime();
    park(step - 0.5);
    long windowGot = delivered.sum() - windowStart;
    double windowSeconds = (System.nanoTime() - windowStartNanos) / 1e9;
    load.stop();
    long sent = load.total();
    settle(delivered);
    long gotAll = delivered.sum() - before;
    double perSecond = windowGot / windowSeconds;
    System.err.printf(Locale.ROOT,
        "  offered %,.0f events/s (%,.0f deliveries/s): delivered %,.0f/s (%.3f), %d of %d in the end%n",
        rate, rate * clients, perSecond, perSecond / (rate * clients), gotAll, sent * clients);
    // Senders' sequence numbers restart with each step.
    receivers.forEach(r -> java.util.Arrays.fill(r.next, 0));
    return new Step(perSecond, gotAll >= sent * clients);
  }

  /** Waits until deliveries stop arriving for 300 ms (at most 30 s). */
  private static void settle(LongAdder counter) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = counter.sum();
      if (now == last) {
        return;
      }
      last = now;
      park(0.3);
    }
  }

  private static void park(double seconds) {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long left;
    while ((left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  // ------------------------------------------------------------------------------ echo

  /** With {@code knownMax} null: the closed-loop maximum; otherwise: open loop at half of it. */
  private Map<String, Double> echo(ServerProcess server, Double knownMax) throws IOException {
    int clients = intArg("clients", 1000);
    int window = intArg("window", 2);
    int padding = intArg("padding", 40);
    Recorder latency = Timeline.newRecorder();
    LongAdder trips = new LongAdder();
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    boolean[] closedLoop = {knownMax == null};
    double seconds = intArg("seconds", 10);
    try (LoadEngine engine = LoadEngine.of(server, intArg("load-threads", 1))) {
      LoadClient[] all = engine.connectMany(clients, 2000, i -> new LoadClient(i, new LoadClient.Listener() {
        long seq;

        @Override
        public void onLoad(LoadClient client, int sender, long s, long sendNanos, long now) {
          trips.increment();
          Timeline.record(latency, now - sendNanos);
          if (closedLoop[0]) {
            Channel ch = client.channel();
            ch.writeAndFlush(Wire.loadFrame(ch.alloc(), client.id(), seq++, System.nanoTime(), padding), ch.voidPromise());
          }
        }
      }));
      if (knownMax != null) {
        // Open loop at half the closed-loop maximum: a warm-up, then the measurement.
        warmUp(all, knownMax / 2, padding, trips, () -> {});
        latency.reset();
        long beforeFixed = trips.sum(); // before the senders start, or early trips count as lost
        Senders load = new Senders(all, knownMax / 2, padding);
        park(seconds);
        load.stop();
        settle(trips);
        Histogram h = latency.getIntervalHistogram();
        out.put("fixed round trips/s", knownMax / 2);
        out.put("p50 ms", h.getValueAtPercentile(50) / 1e6);
        out.put("p99 ms", h.getValueAtPercentile(99) / 1e6);
        out.put("p99.9 ms", h.getValueAtPercentile(99.9) / 1e6);
        out.put("max ms", h.getMaxValue() / 1e6);
        out.put("lost (fixed run)", (double) (load.total() - (trips.sum() - beforeFixed)));
        LoadEngine.closeAll(all);
        return out;
      }
      // Saturation: W events in flight per client, each answer sends the next.
      for (LoadClient c : all) {
        Channel ch = c.channel();
        ch.eventLoop().execute(() -> {
          for (int w = 0; w < window; w++) {
            ch.write(Wire.loadFrame(ch.alloc(), c.id(), w, System.nanoTime(), padding), ch.voidPromise());
          }
          ch.flush();
        });
      }
      park(2);
      long before = trips.sum();
      latency.reset();
      park(seconds);
      double max = (trips.sum() - before) / seconds;
      Histogram closed = latency.getIntervalHistogram();
      closedLoop[0] = false;
      settle(trips);
      out.put("max round trips/s", max);
      out.put("p99 ms at max (closed loop)", closed.getValueAtPercentile(99) / 1e6);
      LoadEngine.closeAll(all);
    }
    return out;
  }

  // ------------------------------------------------------------------------------ connections

  private Map<String, Double> connections(ServerProcess server) throws IOException {
    int clients = intArg("clients", 10_000);
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    long heapBefore = server.heapAfterFullGc();
    long rssBefore = server.rssBytes();
    LongAdder got = new LongAdder();
    try (LoadEngine engine = LoadEngine.of(server, intArg("load-threads", 1))) {
      long start = System.nanoTime();
      LoadClient[] all = engine.connectMany(clients, intArg("connect-rate", 3000), i -> new LoadClient(i,
          new LoadClient.Listener() {
            @Override
            public void onLoad(LoadClient c, int s, long q, long t, long n) {
              got.increment();
            }
          }));
      double connectSeconds = (System.nanoTime() - start) / 1e9;
      park(2);
      long heapAfter = server.heapAfterFullGc();
      out.put("clients connected", (double) java.util.Arrays.stream(all).filter(c -> !c.isClosed()).count());
      out.put("seconds to connect all", connectSeconds);
      out.put("heap bytes per connection", (heapAfter - heapBefore) / (double) clients);
      out.put("server RSS MiB", server.rssBytes() / 1048576.0);
      out.put("RSS bytes per connection", (server.rssBytes() - rssBefore) / (double) clients);
      out.put("server direct/other MiB (NMT)", server.nmtOtherCommittedBytes() / 1048576.0);
      // One broadcast that every client must receive.
      Channel ch = all[0].channel();
      ch.writeAndFlush(Wire.loadFrame(ch.alloc(), 0, 0, System.nanoTime(), 40));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (got.sum() < clients && System.nanoTime() < deadline) {
        park(0.05);
      }
      out.put("received the broadcast", (double) got.sum());
      out.put("broadcast to all, seconds", (System.nanoTime() - (deadline - TimeUnit.SECONDS.toNanos(60))) / 1e9);
      LoadEngine.closeAll(all);
      if (server.sessions()) {
        // Every client gone without a word: each session now waits for its client, holding
        // the broadcast above unacknowledged (one frame shared by all of them).
        park(5);
        long heapDisconnected = server.heapAfterFullGc();
        out.put("heap bytes per disconnected session",
            (heapDisconnected - heapBefore) / (double) clients);
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------ idle

  private Map<String, Double> idle(ServerProcess server) throws IOException {
    int clients = intArg("clients", 1000);
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    try (LoadEngine engine = LoadEngine.of(server, 1)) {
      LoadClient[] all = engine.connectMany(clients, 2000, i -> new LoadClient(i, (c, s, q, t, n) -> {}));
      // Idle is the steady state: for a few seconds after the connects the server's JIT is
      // still compiling the accept and hello paths (half of the 1% measured from 2 s on).
      park(intArg("settle-seconds", 30));
      double seconds = intArg("seconds", 60);
      long cpuBefore = server.cpuNanos();
      park(seconds);
      long cpu = server.cpuNanos() - cpuBefore;
      out.put("server CPU % of a core", 100.0 * cpu / (seconds * 1e9));
      LoadEngine.closeAll(all);
    }
    return out;
  }
}
