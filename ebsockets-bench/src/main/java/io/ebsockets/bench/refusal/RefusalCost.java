package io.ebsockets.bench.refusal;

import io.ebsockets.ClientTls;
import io.ebsockets.CloseReason;
import io.ebsockets.ConnectionEndedException;
import io.ebsockets.Door;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.ServerTls;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code bench/run.sh refusals}: what turning a connection away over the accept rate costs the
 * server, by door: the CPU time of the server's I/O thread per refused connection (a sequential
 * client connects, is told {@code overloaded}, and closes), for plain TCP, TCP with TLS, the
 * WebSocket door and the WebSocket door with TLS. Each row compares one door with plain TCP
 * in the same run, median of three rounds.
 *
 * <p>Arguments: {@code CERT.pem KEY.pem [connections per round]}; the certificate must name
 * 127.0.0.1 (bench/run.sh makes one with openssl).
 */
public final class RefusalCost {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private RefusalCost() {}

  /**
   * Runs the measurement and prints Markdown rows.
   *
   * @param args the certificate, its key, and optionally the connections per round
   * @throws Exception if a server cannot start
   */
  public static void main(String[] args) throws Exception {
    Path cert = Path.of(args[0]);
    Path key = Path.of(args[1]);
    int connections = args.length > 2 ? Integer.parseInt(args[2]) : 2_000;
    List<Double> plain = new ArrayList<>();
    List<Double> tcpTls = new ArrayList<>();
    List<Double> ws = new ArrayList<>();
    List<Double> wss = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      plain.add(perRefusal(Door.TCP, null, null, connections));
      tcpTls.add(perRefusal(Door.TCP, cert, key, connections));
      ws.add(perRefusal(Door.WEB_SOCKET, null, null, connections));
      wss.add(perRefusal(Door.WEB_SOCKET, cert, key, connections));
    }
    double base = median(plain);
    System.out.println("| refused over the accept rate (server CPU per connection) | door |"
        + " µs | plain TCP, µs | ratio |");
    System.out.println("|---|---|---:|---:|---:|");
    row("TCP (plain)", plain, base);
    row("TCP + TLS", tcpTls, base);
    row("WebSocket", ws, base);
    row("WebSocket + TLS", wss, base);
  }

  private static void row(String door, List<Double> micros, double base) {
    double m = median(micros);
    System.out.printf("| `overloaded` refusal, %d rounds | %s | %.0f | %.0f | %.2f |%n",
        micros.size(), door, m, base, m / base);
  }

  /** Server I/O-thread CPU, in µs, per connection turned away. */
  private static double perRefusal(Door door, Path cert, Path key, int connections)
      throws Exception {
    Listener listener = door == Door.TCP
        ? Listener.tcp("127.0.0.1", 0) : Listener.webSocket("127.0.0.1", 0, "/ebs");
    EbsocketServer.Builder builder = EbsocketServer.builder().listen(listener).ioThreads(1)
        .acceptRate(1).closeTimeout(Duration.ofMillis(200));
    EbsocketClient.Builder clients = EbsocketClient.builder();
    if (cert != null) {
      builder.tls(ServerTls.fromPem(cert, key));
      clients.tls(ClientTls.trustPem(cert));
    }
    try (EbsocketSystem system = new EbsocketSystem(builder.build())) {
      URI uri = system.server().uri(door);
      refuse(uri, clients, connections / 4); // warm-up
      long before = serverCpuNanos();
      int refused = refuse(uri, clients, connections);
      return (serverCpuNanos() - before) / 1_000.0 / Math.max(1, refused);
    }
  }

  private static int refuse(URI uri, EbsocketClient.Builder clients, int connections) {
    int refused = 0;
    for (int i = 0; i < connections; i++) {
      try (EbsocketClient client = clients.build()) {
        client.connectTo(uri);
      } catch (ConnectionEndedException e) {
        if (e.status().reason() == CloseReason.OVERLOADED) {
          refused++;
        }
      } catch (IOException e) {
        throw new IllegalStateException("connect to " + uri + " failed", e);
      }
    }
    return refused;
  }

  /** CPU time of the server's I/O threads so far. */
  private static long serverCpuNanos() {
    long total = 0;
    for (java.lang.management.ThreadInfo info :
        THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("ebsockets-server")) {
        total += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
