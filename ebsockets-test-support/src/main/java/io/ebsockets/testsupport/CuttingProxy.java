package io.ebsockets.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback between clients and a server that, once {@linkplain #arm armed},
 * resets each connection at a random moment: after a random number of bytes (between the bounds
 * given) has crossed it, in either direction, it closes both of its sockets with a TCP reset,
 * wherever that falls: inside a frame, inside a handshake, between a write and its flush. Bytes
 * cross as they come, unchanged, in both directions. It speaks no protocol, so it serves TCP and
 * WebSocket doors alike.
 *
 * <p>Two threads per connection, blocking I/O: meant for tests and the soak's few hundred
 * clients, not for load.
 */
public final class CuttingProxy implements AutoCloseable {
  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong cuts = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean closed;
  private volatile boolean refusing;
  private volatile int minBytes;
  private volatile int maxBytes;

  private CuttingProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "cutting-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy to {@code target}; it cuts nothing until {@link #arm armed}.
   *
   * @param target the server's address, on loopback
   * @return the proxy, listening on an ephemeral loopback port
   * @throws IOException if it cannot listen
   */
  public static CuttingProxy to(InetSocketAddress target) throws IOException {
    return new CuttingProxy(target);
  }

  /**
   * Returns the port clients connect to.
   *
   * @return the proxy's port on 127.0.0.1
   */
  public int port() {
    return listener.getLocalPort();
  }

  /**
   * From now on each connection, open or new, is reset once between {@code minBytes} and {@code
   * maxBytes} bytes (drawn at random for each connection) have crossed it.
   *
   * @param minBytes at least 1
   * @param maxBytes at least {@code minBytes}
   */
  public void arm(int minBytes, int maxBytes) {
    if (minBytes < 1 || maxBytes < minBytes) {
      throw new IllegalArgumentException(
          "bytes " + minBytes + ".." + maxBytes + " (expected: 1 <= min <= max)");
    }
    this.minBytes = minBytes;
    this.maxBytes = maxBytes;
    for (Link link : links) {
      link.draw();
    }
  }

  /**
   * Resets every connection open now, and, while {@code refuseNew}, every new one as soon as it
   * is accepted (a client then cannot reconnect until {@link #admit()}).
   *
   * @param refuseNew whether to turn new connections away from now on
   * @return how many connections were reset
   */
  public int cutNow(boolean refuseNew) {
    this.refusing = refuseNew;
    int n = 0;
    for (Link link : links) {
      if (link.cutOnce()) {
        n++;
      }
    }
    return n;
  }

  /** Lets new connections through again after {@link #cutNow cutNow(true)}. */
  public void admit() {
    this.refusing = false;
  }

  /** Stops cutting; connections open now carry on. */
  public void disarm() {
    this.maxBytes = 0;
    for (Link link : links) {
      link.budget = Long.MAX_VALUE;
    }
  }

  /**
   * Returns how many connections the proxy has reset so far.
   *
   * @return the count
   */
  public long cuts() {
    return cuts.get();
  }

  /**
   * Returns how many connections the proxy has accepted so far.
   *
   * @return the count
   */
  public long accepted() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      if (refusing) {
        reset(client);
        continue;
      }
      try {
        Socket server = new Socket();
        server.setTcpNoDelay(true);
        server.connect(target, 5_000);
        client.setTcpNoDelay(true);
        Link link = new Link(client, server);
        links.add(link);
        link.start();
      } catch (IOException e) {
        reset(client);
      }
    }
  }

  /** One client's connection and the proxy's to the server. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private final AtomicLong crossed = new AtomicLong();
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile long budget = Long.MAX_VALUE;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
      draw();
    }

    void draw() {
      int max = maxBytes;
      budget = max == 0 ? Long.MAX_VALUE
          : crossed.get() + ThreadLocalRandom.current().nextInt(minBytes, max + 1);
    }

    void start() {
      thread(client, server, "up");
      thread(server, client, "down");
    }

    private void thread(Socket from, Socket to, String direction) {
      Thread t = new Thread(() -> pump(from, to), "cutting-proxy-" + direction);
      t.setDaemon(true);
      t.start();
    }

    private void pump(Socket from, Socket to) {
      byte[] buffer = new byte[8192];
      try {
        // Not closed here: closing a socket's stream closes the socket, both directions.
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          long left = budget - crossed.get();
          if (left <= n) {
            // Forward up to the cut, then reset both sides.
            out.write(buffer, 0, (int) Math.max(0, left));
            out.flush();
            crossed.addAndGet(n);
            cut();
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
          crossed.addAndGet(n);
        }
        end(); // the peer closed its side: pass the end on, once each way
        to.shutdownOutput();
      } catch (IOException e) {
        end(); // reset by a cut of the other direction, or by a peer
      }
    }

    void cut() {
      cutOnce();
    }

    boolean cutOnce() {
      if (over.compareAndSet(false, true)) {
        cuts.incrementAndGet();
        reset(client);
        reset(server);
        links.remove(this);
        return true;
      }
      return false;
    }

    void end() {
      if (over.get()) {
        return;
      }
      if (client.isClosed() || server.isClosed()
          || (client.isInputShutdown() && server.isInputShutdown())) {
        over.set(true);
        links.remove(this);
      }
    }
  }

  /** Closes with a TCP reset (SO_LINGER 0): the peer reads "connection reset". */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // already closed
    }
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Link link : links) {
      reset(link.client);
      reset(link.server);
    }
    links.clear();
  }
}
