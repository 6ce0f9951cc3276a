package io.ebsockets.examples;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.ConnectionChange;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PumpResult;
import io.ebsockets.ReconnectPolicy;
import io.ebsockets.Resumption;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A resumable session rides out a dropped connection: the client talks to the server through a
 * link that this demo resets (as a mobile network does), sends while it is offline, and the
 * server sends to it meanwhile; when the client is back, everything arrives once and in order in
 * both directions, and the server's application never saw a disconnect.
 *
 * <pre>
 * mvn -q -pl ebsockets-examples -am compile exec:java \
 *     -Dexec.mainClass=io.ebsockets.examples.ResumeDemo
 * </pre>
 */
public final class ResumeDemo {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private ResumeDemo() {}

  /**
   * Runs the demo and exits.
   *
   * @param args none
   * @throws IOException if the demo fails
   */
  public static void main(String[] args) throws IOException {
    run(System.out);
  }

  /**
   * Runs the demo, printing what happens.
   *
   * @param out where to print
   * @throws IOException if the demo fails
   */
  static void run(PrintStream out) throws IOException {
    EbsocketServer server = EbsocketServer.builder()
        .host("127.0.0.1")
        .port(0) // any free port
        .resumption(Resumption.defaults()) // 2 min, 4,096 events / 4 MiB per session
        .build();

    EbsocketClient client = EbsocketClient.builder()
        .reconnect(ReconnectPolicy.defaults())
        .resumable(true)
        .build();
    try (EbsocketSystem system = new EbsocketSystem(server);
        FlakyLink link = new FlakyLink(server.address());
        client) {
      Demo demo = new Demo(system, client, out);
      client.connectTo("127.0.0.1", link.port());
      for (int n = 1; n <= 3; n++) {
        client.sendEvent(new EbsocketEvent("message").with("n", n));
      }
      demo.pumpUntil(() -> demo.echoes.size() == 3);

      link.cut();
      demo.pumpUntil(() -> demo.changes.contains(ConnectionChange.Kind.DISCONNECTED));
      for (int n = 4; n <= 6; n++) {
        client.sendEvent(new EbsocketEvent("message").with("n", n)); // held while offline
      }
      system.sendEventTo(demo.connection, new EbsocketEvent("news").with("n", 1));
      out.println("server: sent news while the client was away");
      demo.pumpUntil(() -> demo.echoes.size() == 7);

      out.println("server got " + demo.fromClient + "; clients seen: " + demo.clients
          + ", disconnects: " + demo.disconnects + ", resumes: " + demo.connection.resumes());
      out.println("client got " + demo.echoes);
    }
  }

  /** Both pump loops on this thread: the server echoes each message to its sender. */
  private static final class Demo {
    final EbsocketSystem system;
    final EbsocketClient client;
    final PrintStream out;
    final List<Integer> fromClient = new ArrayList<>();
    final List<String> echoes = new ArrayList<>();
    final List<ConnectionChange.Kind> changes = new ArrayList<>();
    EbsocketConnection connection;
    int clients;
    int disconnects;

    Demo(EbsocketSystem system, EbsocketClient client, PrintStream out) {
      this.system = system;
      this.client = client;
      this.out = out;
    }

    void pumpUntil(BooleanSupplier done) throws IOException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!done.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new IOException("the demo did not get there within " + WAIT);
        }
        PumpResult r = system.pump(Duration.ofMillis(5));
        for (EbsocketConnection c : r.newClients()) {
          connection = c;
          clients++;
        }
        disconnects += r.disconnectedClients().size();
        for (EbsocketEvent event : r.newEvents()) {
          fromClient.add(event.getInt("n"));
          system.sendEventTo(event.source().orElseThrow(),
              new EbsocketEvent("echo").with("n", event.getInt("n")));
        }
        ClientPumpResult c = client.pump(Duration.ofMillis(5));
        for (EbsocketEvent event : c.events()) {
          echoes.add(event.type() + " " + event.getInt("n"));
        }
        for (ConnectionChange change : c.connectionChanges()) {
          changes.add(change.kind());
          out.println("client: " + change.kind() + change.status().map(s -> " (" + s + ")")
              .orElse(" after " + change.attempts() + " attempt(s)"));
        }
      }
    }
  }

  /**
   * A loopback TCP link to the server that can be reset, both ways, like a network that drops:
   * one connection at a time, copied byte for byte by two threads.
   */
  private static final class FlakyLink implements AutoCloseable {
    private final InetSocketAddress target;
    private final ServerSocket listener;
    private volatile Socket toClient;
    private volatile Socket toServer;

    FlakyLink(InetSocketAddress target) throws IOException {
      this.target = target;
      this.listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::accept, "flaky-link");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    private void accept() {
      while (!listener.isClosed()) {
        try {
          Socket client = listener.accept();
          Socket server = new Socket(target.getAddress(), target.getPort());
          toClient = client;
          toServer = server;
          copy(client, server);
          copy(server, client);
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private static void copy(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
          for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
          }
        } catch (IOException e) {
          // reset by cut(): the other direction's thread ends the same way
        }
      }, "flaky-link-copy");
      t.setDaemon(true);
      t.start();
    }

    /** Resets the current connection on both sides (SO_LINGER 0): a reset, not a goodbye. */
    void cut() throws IOException {
      Socket[] pair = {toClient, toServer};
      // Both set to reset before either closes: closing one ends a copy thread, which closes
      // the other side's socket at once.
      for (Socket s : pair) {
        s.setSoLinger(true, 0);
      }
      for (Socket s : pair) {
        s.close();
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }
}
