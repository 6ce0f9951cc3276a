package io.ebsockets.bench.soak;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.ConnectionChange;
import io.ebsockets.Door;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.PumpResult;
import io.ebsockets.ReconnectPolicy;
import io.ebsockets.Resumption;
import io.ebsockets.SessionStats;
import io.ebsockets.SystemStats;
import io.ebsockets.testsupport.CuttingProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's cutting mode ({@code Soak --cut}): resumable clients chat through a {@link
 * CuttingProxy} that resets every connection after a random number of bytes, for the whole run,
 * and every event is checked by sequence number in both directions: the server checks each
 * client's stream as it pumps it, each client checks every sender's stream in the broadcasts it
 * receives. Half the clients use the TCP door, half the WebSocket door; the server runs in this
 * process with the default {@link Resumption}. Passes only with nothing lost, duplicated or out
 * of order in either direction, every session resumed (none expired or unknown), no disconnect
 * reported to the server's application, and every client still one connection.
 */
final class CutSoak {
  private final int seconds;
  private final int clients;
  private final int rate;
  private final int minBytes;
  private final int maxBytes;

  private final Stream up = new Stream();
  private final Stream down = new Stream();
  private final AtomicLong[] sent;
  private final Map<ConnectionChange.Kind, LongAdder> changes =
      new EnumMap<>(ConnectionChange.Kind.class);
  private final List<String> firstErrors = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean sending = true;
  private volatile boolean running = true;

  /** Counts of one direction. */
  private static final class Stream {
    final LongAdder received = new LongAdder();
    final LongAdder duplicated = new LongAdder();
    final LongAdder outOfOrder = new LongAdder();
    final LongAdder lost = new LongAdder();
  }

  CutSoak(int seconds, int clients, int rate, int minBytes, int maxBytes) {
    this.seconds = seconds;
    this.clients = clients;
    this.rate = rate;
    this.minBytes = minBytes;
    this.maxBytes = maxBytes;
    this.sent = new AtomicLong[clients];
    for (int i = 0; i < clients; i++) {
      sent[i] = new AtomicLong();
    }
    for (ConnectionChange.Kind kind : ConnectionChange.Kind.values()) {
      changes.put(kind, new LongAdder());
    }
  }

  /**
   * What one receiver has seen of every sender's stream: the last number each sent in order, and
   * the numbers skipped and not yet come. Touched by the receiver's thread only.
   */
  private final class Seen {
    private final Stream stream;
    private final String where;
    private final long[] last = new long[clients];
    private final List<java.util.Set<Long>> gaps = new ArrayList<>();

    Seen(Stream stream, String where) {
      this.stream = stream;
      this.where = where;
      for (int i = 0; i < clients; i++) {
        gaps.add(new java.util.HashSet<>());
      }
    }

    /**
     * One number of one sender's stream: past the next expected is a gap (lost, until it comes
     * late); at or below it, it came twice or late.
     */
    void check(int sender, long n) {
      stream.received.increment();
      if (n == last[sender] + 1) {
        last[sender] = n;
      } else if (n > last[sender] + 1) {
        for (long missing = last[sender] + 1; missing < n; missing++) {
          gaps.get(sender).add(missing);
        }
        error(where + ": " + n + " of client " + sender + " after " + last[sender]);
        last[sender] = n;
      } else if (gaps.get(sender).remove(n)) {
        stream.outOfOrder.increment();
        error(where + ": " + n + " of client " + sender + " late");
      } else {
        stream.duplicated.increment();
        error(where + ": " + n + " of client " + sender + " twice");
      }
    }

    /** What never came of what each sender sent. */
    long lost() {
      long lost = 0;
      for (int i = 0; i < clients; i++) {
        lost += sent[i].get() - last[i] + gaps.get(i).size();
      }
      return lost;
    }
  }

  private void error(String what) {
    if (firstErrors.size() < 10) {
      firstErrors.add(what);
    }
  }

  boolean run() throws Exception {
    EbsocketSystem system = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.tcp("127.0.0.1", 0))
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs"))
        .resumption(Resumption.defaults())
        .build());
    ServerLoop server = new ServerLoop(system);
    CuttingProxy tcpProxy = CuttingProxy.to(address(system.server().uri(Door.TCP)));
    CuttingProxy wsProxy = CuttingProxy.to(address(system.server().uri(Door.WEB_SOCKET)));
    List<ClientLoop> loops = new ArrayList<>();
    try {
      for (int i = 0; i < clients; i++) {
        boolean ws = i % 2 == 1;
        URI direct = system.server().uri(ws ? Door.WEB_SOCKET : Door.TCP);
        int proxyPort = (ws ? wsProxy : tcpProxy).port();
        loops.add(new ClientLoop(i, URI.create(
            direct.toString().replace(":" + direct.getPort(), ":" + proxyPort))));
      }
      server.start();
      long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (server.opened.get() < clients && System.nanoTime() < connectDeadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      System.out.printf(Locale.ROOT,
          "soak --cut: %d s, %d resumable clients (%d TCP, %d WebSocket) x %d events/s, every"
              + " connection reset after %d..%d bytes%n",
          seconds, clients, (clients + 1) / 2, clients / 2, rate, minBytes, maxBytes);
      tcpProxy.arm(minBytes, maxBytes);
      wsProxy.arm(minBytes, maxBytes);
      loops.forEach(ClientLoop::start);
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      long nextReport = start + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < end) {
        java.util.concurrent.locks.LockSupport.parkNanos(Math.min(end, nextReport) - System.nanoTime());
        if (System.nanoTime() >= nextReport) {
          System.out.printf(Locale.ROOT, "  %4d s: cuts %d, resumes %d, sent up %d, down %d%n",
              TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
              tcpProxy.cuts() + wsProxy.cuts(), changes.get(ConnectionChange.Kind.RESUMED).sum(),
              up.received.sum(), down.received.sum());
          nextReport += TimeUnit.SECONDS.toNanos(60);
        }
      }
      sending = false;
      tcpProxy.disarm();
      wsProxy.disarm();
      long totalSent = totalSent();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((up.received.sum() < totalSent || down.received.sum() < totalSent * clients)
          && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
      running = false;
      for (ClientLoop loop : loops) {
        loop.join();
      }
      server.finish();
      long cuts = tcpProxy.cuts() + wsProxy.cuts();
      SystemStats stats = system.stats();
      up.lost.add(server.seen.lost());
      for (ClientLoop loop : loops) {
        down.lost.add(loop.seen.lost());
      }
      return report(totalSent, cuts, server, stats);
    } finally {
      running = false;
      for (ClientLoop loop : loops) {
        loop.client.close();
      }
      tcpProxy.close();
      wsProxy.close();
      system.close();
    }
  }

  private long totalSent() {
    long total = 0;
    for (AtomicLong s : sent) {
      total += s.get();
    }
    return total;
  }

  private static InetSocketAddress address(URI uri) {
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  private boolean report(long totalSent, long cuts, ServerLoop server, SystemStats stats) {
    SessionStats sessions = stats.sessions();
    System.out.println();
    System.out.println("| direction | sent | received | lost | duplicated | out of order |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    row("client → server", totalSent, up);
    row("server → client", totalSent * clients, down);
    System.out.printf(Locale.ROOT,
        "connections reset: %d; client outcomes: %s; server: %d sessions opened, %d resumes, %d"
            + " expired, %d refused, %d disconnects reported%n",
        cuts, outcomes(), server.opened.get(), sessions.resumed(), sessions.expired(),
        sessions.refused(), server.disconnects.get());
    if (!firstErrors.isEmpty()) {
      System.out.println("first errors: " + firstErrors);
    }
    boolean clean = up.lost.sum() == 0 && down.lost.sum() == 0
        && up.duplicated.sum() + down.duplicated.sum() == 0
        && up.outOfOrder.sum() + down.outOfOrder.sum() == 0
        && up.received.sum() == totalSent && down.received.sum() == totalSent * clients
        && server.opened.get() == clients && server.disconnects.get() == 0
        && changes.get(ConnectionChange.Kind.SESSION_EXPIRED).sum() == 0
        && changes.get(ConnectionChange.Kind.SESSION_UNKNOWN).sum() == 0
        && cuts > 0;
    System.out.println(clean ? "soak --cut: PASS" : "soak --cut: FAIL");
    return clean;
  }

  private static void row(String name, long expected, Stream s) {
    System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %d | %d |%n", name, expected,
        s.received.sum(), s.lost.sum(), s.duplicated.sum(), s.outOfOrder.sum());
  }

  private String outcomes() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    changes.forEach((kind, n) -> {
      if (n.sum() > 0) {
        counts.put(kind.name().toLowerCase(Locale.ROOT), n.sum());
      }
    });
    return counts.toString();
  }

  /** The server's pump: checks each client's stream and broadcasts every event to all. */
  private final class ServerLoop extends Thread {
    final EbsocketSystem system;
    final AtomicLong opened = new AtomicLong();
    final AtomicLong disconnects = new AtomicLong();
    final Seen seen = new Seen(up, "server");
    private volatile boolean stop;

    ServerLoop(EbsocketSystem system) {
      super("soak-server-pump");
      this.system = system;
    }

    @Override
    public void run() {
      while (!stop) {
        PumpResult r = system.pump(Duration.ofMillis(20));
        opened.addAndGet(r.newClients().size());
        disconnects.addAndGet(r.disconnectedClients().size());
        for (EbsocketEvent e : r.newEvents()) {
          seen.check(e.getInt("s"), e.getLong("n"));
          system.sendEventToClients(e);
        }
      }
    }

    void finish() throws InterruptedException {
      stop = true;
      join();
    }
  }

  /** One resumable client: sends at the rate, pumps, checks every sender's stream. */
  private final class ClientLoop extends Thread {
    final int id;
    final EbsocketClient client;
    final Seen seen;

    ClientLoop(int id, URI uri) throws IOException {
      super("soak-client-" + id);
      this.id = id;
      this.seen = new Seen(down, "client " + id);
      this.client = EbsocketClient.builder()
          .reconnect(ReconnectPolicy.builder()
              .initialDelay(Duration.ofMillis(5))
              .maxDelay(Duration.ofMillis(100))
              .offlineBufferEvents(100_000)
              .build())
          .resumable(true)
          .build();
      client.connectTo(uri);
    }

    @Override
    public void run() {
      long period = TimeUnit.SECONDS.toNanos(1) / rate;
      long next = System.nanoTime() + java.util.concurrent.ThreadLocalRandom.current().nextLong(period);
      while (running) {
        long now = System.nanoTime();
        if (sending && now >= next) {
          long n = sent[id].get() + 1;
          client.sendEvent(new EbsocketEvent("m").with("s", id).with("n", n));
          sent[id].set(n);
          next += period;
        }
        ClientPumpResult r = client.pump(Duration.ofNanos(Math.max(0,
            Math.min(next - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(20)))));
        for (EbsocketEvent e : r.events()) {
          seen.check(e.getInt("s"), e.getLong("n"));
        }
        for (ConnectionChange c : r.connectionChanges()) {
          changes.get(c.kind()).increment();
          if (c.kind() != ConnectionChange.Kind.DISCONNECTED
              && c.kind() != ConnectionChange.Kind.RESUMED) {
            error("client " + id + ": " + c);
          }
        }
      }
    }
  }
}
