package io.ebsockets.bench.attack;

import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.bench.load.Cli;
import io.ebsockets.bench.load.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The long attacks of RELIABILITY.md, against the seed's {@code RelayServer} in a JVM of its own
 * at {@code -Xmx256m}, with three bystanders chatting throughout (one sends a numbered line every
 * 1/60 s; all three must receive every line once, in order). For each attack it prints what the
 * attacker saw, what the bystanders lost, duplicated or reordered, and the server's heap (after a
 * full collection) and resident memory before and after.
 *
 * <pre>
 *   bench/run.sh attacks     # both, about four minutes
 * </pre>
 */
public final class AttackSuite {
  private static final List<String[]> OPTIONS =
      List.of(
          Cli.option("attack", "NAME", "nonreaders, partial or all (default all)"),
          Cli.option("nonreaders", "N", "connections that never read (default 5000)"),
          Cli.option("seconds", "S", "how long the non-readers attack lasts (default 120)"),
          Cli.option("partial", "N", "connections holding a partial 1 MiB frame (default 300)"));

  private AttackSuite() {}

  /**
   * Runs the attacks.
   *
   * @param args see {@link #OPTIONS}
   * @throws Exception if the server cannot be started
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options =
        Cli.parse("AttackSuite", "The long attacks of RELIABILITY.md.", OPTIONS, args);
    String which = options.getOrDefault("attack", "all");
    if (which.equals("all") || which.equals("nonreaders")) {
      nonReaders(
          Integer.parseInt(options.getOrDefault("nonreaders", "5000")),
          Integer.parseInt(options.getOrDefault("seconds", "120")));
    }
    if (which.equals("all") || which.equals("partial")) {
      partialFrames(Integer.parseInt(options.getOrDefault("partial", "300")));
    }
  }

  private static ServerProcess relay() throws IOException {
    return ServerProcess.start(
        "io.ebsockets.examples.RelayServer",
        List.of(),
        serverJvm(),
        Path.of("target", "bench", "attack-server.log"));
  }

  /** The relay's JVM options; {@code -Dattack.serverJvm="..."} adds to them (e.g. allocator flags). */
  private static List<String> serverJvm() {
    List<String> args =
        new ArrayList<>(List.of("-Xmx256m", "-XX:MaxDirectMemorySize=256m", "-XX:+UseParallelGC"));
    String extra = System.getProperty("attack.serverJvm", "").trim();
    if (!extra.isEmpty()) {
      args.addAll(Arrays.asList(extra.split("\\s+")));
    }
    return args;
  }

  /** Connections that say hello and never read, with small receive buffers. */
  static void nonReaders(int count, int seconds) throws Exception {
    try (ServerProcess server = relay()) {
      long heapBefore = server.heapAfterFullGc();
      long rssBefore = server.rssBytes();
      Bystanders bystanders = Bystanders.start(server.address());
      byte[] hello = frame("{\"type\":\"ebsockets.hello\",\"data\":{\"version\":1}}");
      List<Socket> sockets = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(server.address());
        socket.getOutputStream().write(hello);
        sockets.add(socket);
      }
      // Every 20 s each sends a small event, so that it is never idle: only what it does not
      // read can get it dropped (a peer that also stops sending is ended by the idle timeout).
      byte[] keepAlive = frame("{\"type\":\"noop\"}");
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      long nextKeepAlive = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < end) {
        bystanders.chat();
        if (System.nanoTime() > nextKeepAlive) {
          nextKeepAlive += TimeUnit.SECONDS.toNanos(20);
          for (Socket socket : sockets) {
            try {
              socket.getOutputStream().write(keepAlive);
            } catch (IOException closedByServer) {
              // dropped already
            }
          }
        }
      }
      Outcome outcome = bystanders.stop();
      int closed = 0;
      for (Socket socket : sockets) {
        closed += endedByServer(socket) ? 1 : 0;
      }
      report("non-readers", count + " connections that never read (but send every 20 s), "
              + seconds + " s of chat at 60 lines/s",
          closed + " of " + count + " closed by the server (slow_consumer)", outcome, server,
          heapBefore, rssBefore);
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  /** Connections that send all but the last byte of a 1 MiB frame, then the last. */
  static void partialFrames(int count) throws Exception {
    try (ServerProcess server = relay()) {
      long heapBefore = server.heapAfterFullGc();
      long rssBefore = server.rssBytes();
      Bystanders bystanders = Bystanders.start(server.address());
      byte[] frame = blob(1 << 20);
      List<Socket> sockets = new ArrayList<>();
      List<CompletableFuture<Void>> sending = new ArrayList<>();
      // A thread each: a write to a connection the server has stopped reading blocks.
      ExecutorService writers = Executors.newFixedThreadPool(count);
      for (int i = 0; i < count; i++) {
        Socket socket = new Socket();
        socket.connect(server.address());
        sockets.add(socket);
        sending.add(
            CompletableFuture.runAsync(() -> write(socket, frame, 0, frame.length - 1), writers));
      }
      for (int i = 0; i < 300; i++) {
        bystanders.chat();
      }
      long welcomeNanos = System.nanoTime();
      try (EbsocketClient newcomer = EbsocketClient.builder().connectTimeout(Duration.ofSeconds(30)).build()) {
        newcomer.connectTo(server.address());
        welcomeNanos = System.nanoTime() - welcomeNanos;
      }
      for (int i = 0; i < count; i++) {
        Socket socket = sockets.get(i);
        sending.set(
            i, sending.get(i).thenRunAsync(() -> write(socket, frame, frame.length - 1, 1), writers));
      }
      int failed = 0; // the server reset the connection under the attacker's write
      for (CompletableFuture<Void> send : sending) {
        try {
          send.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
          failed++;
        }
      }
      for (int i = 0; i < 300; i++) {
        bystanders.chat();
      }
      Outcome outcome = bystanders.stop();
      int ended = 0;
      for (Socket socket : sockets) {
        ended += endedByServer(socket) ? 1 : 0;
      }
      report("partial frames", count + " partial 1 MiB frames, then their last bytes",
          (count - failed) + " of " + count + " frames sent whole; " + ended
              + " connections ended by the server afterwards; a newcomer was welcomed in "
              + TimeUnit.NANOSECONDS.toMillis(welcomeNanos) + " ms",
          outcome, server, heapBefore, rssBefore);
      for (Socket socket : sockets) {
        socket.close();
      }
      writers.shutdownNow();
    }
  }

  private static void report(String attack, String what, String attacker, Outcome outcome,
      ServerProcess server, long heapBefore, long rssBefore) {
    System.out.printf(
        "| %s | %s | %s | %s | %d → %d MB | %d → %d MB |%n",
        attack, what, attacker, outcome, heapBefore >> 20, server.heapAfterFullGc() >> 20,
        rssBefore >> 20, server.rssBytes() >> 20);
  }

  /** True if the server closed the connection (end of stream or reset), after what it sent. */
  private static boolean endedByServer(Socket socket) {
    try {
      socket.setSoTimeout(2000);
      InputStream in = socket.getInputStream();
      byte[] sink = new byte[64 << 10];
      while (true) {
        if (in.read(sink) < 0) {
          return true;
        }
      }
    } catch (SocketException reset) {
      return true;
    } catch (IOException stillOpen) {
      return false;
    }
  }

  private static void write(Socket socket, byte[] bytes, int offset, int length) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(bytes, offset, length);
      out.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] blob(int payload) {
    String head = "{\"type\":\"blob\",\"data\":{\"pad\":\"";
    String tail = "\"}}";
    char[] pad = new char[payload - head.length() - tail.length()];
    Arrays.fill(pad, 'x');
    return frame(head + new String(pad) + tail);
  }

  private static byte[] frame(String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    byte[] frame = new byte[4 + payload.length];
    frame[0] = (byte) (payload.length >>> 24);
    frame[1] = (byte) (payload.length >>> 16);
    frame[2] = (byte) (payload.length >>> 8);
    frame[3] = (byte) payload.length;
    System.arraycopy(payload, 0, frame, 4, payload.length);
    return frame;
  }

  /** What the bystanders received of the chat. */
  record Outcome(int sent, int lost, int duplicated, int reordered, int disconnected) {
    @Override
    public String toString() {
      return sent + " lines sent; lost " + lost + ", duplicated " + duplicated + ", reordered "
          + reordered + ", bystanders disconnected " + disconnected;
    }
  }

  /** Three clients; the first sends a numbered line every 1/60 s, all three record them. */
  static final class Bystanders {
    private final List<EbsocketClient> clients;
    private final List<CompletableFuture<List<Integer>>> heard = new ArrayList<>();
    private int sent;
    private long nextNanos = System.nanoTime();

    private Bystanders(List<EbsocketClient> clients) {
      this.clients = clients;
      for (EbsocketClient client : clients) {
        heard.add(CompletableFuture.supplyAsync(() -> record(client)));
      }
    }

    static Bystanders start(InetSocketAddress address) throws IOException {
      List<EbsocketClient> clients = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        EbsocketClient client = new EbsocketClient();
        client.connectTo(address);
        clients.add(client);
      }
      return new Bystanders(clients);
    }

    /** Sends the next line when its time has come (waits for it). */
    void chat() {
      nextNanos += TimeUnit.SECONDS.toNanos(1) / 60;
      long wait = nextNanos - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      if (clients.get(0).isConnected()) {
        clients.get(0).sendEvent(new EbsocketEvent("message").with("content", sent++));
      }
    }

    Outcome stop() throws Exception {
      clients.get(0).sendEvent(new EbsocketEvent("message").with("content", -1));
      int lost = 0;
      int duplicated = 0;
      int reordered = 0;
      int disconnected = 0;
      for (int i = 0; i < clients.size(); i++) {
        List<Integer> got = heard.get(i).get(120, TimeUnit.SECONDS);
        disconnected += clients.get(i).isConnected() ? 0 : 1;
        boolean[] seen = new boolean[sent];
        int last = -1;
        for (int n : got) {
          if (n < 0 || n >= sent) {
            continue;
          }
          if (seen[n]) {
            duplicated++;
          }
          seen[n] = true;
          if (n < last) {
            reordered++;
          }
          last = Math.max(last, n);
        }
        for (boolean s : seen) {
          lost += s ? 0 : 1;
        }
      }
      clients.forEach(EbsocketClient::close);
      return new Outcome(sent, lost, duplicated, reordered, disconnected);
    }

    /** Records numbered lines until the -1 that ends the chat, or the end of the connection. */
    private static List<Integer> record(EbsocketClient client) {
      List<Integer> got = new ArrayList<>();
      while (true) {
        var event = client.recvEvent(Duration.ofMinutes(2));
        if (event.isEmpty()) {
          return got;
        }
        if (event.get().getAttribute("content") instanceof Integer n) {
          if (n == -1) {
            return got;
          }
          got.add(n);
        }
      }
    }
  }
}
