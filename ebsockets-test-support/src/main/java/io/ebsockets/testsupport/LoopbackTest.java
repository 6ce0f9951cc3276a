package io.ebsockets.testsupport;

import io.ebsockets.*;
import io.ebsockets.spi.TransportProvider;
import io.ebsockets.testsupport.PumpRecorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A server on a loopback ephemeral port before each test, clients made with the transport under
 * test, and everything closed after it: what the contract tests share.
 */
public abstract class LoopbackTest {
  protected static final Duration WAIT = PumpRecorder.TIMEOUT;

  private final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();
  protected EbsocketSystem system;
  protected PumpRecorder recorder;

  /** The transport under test. */
  protected abstract TransportProvider transport();

  /**
   * The door the tests' server listens on and their clients connect through; TCP unless a
   * subclass runs the same tests over another.
   */
  protected Door door() {
    return Door.TCP;
  }

  /** Skips the test on other doors: it speaks the TCP framing on a raw socket. */
  protected void assumeTcpDoor() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        door() == Door.TCP, "a raw-socket test of the TCP framing; each door has its own");
  }

  /** Where a client connects to a system's server through the door under test. */
  protected java.net.URI uri(EbsocketSystem to) {
    return to.server().uri(door());
  }

  @BeforeEach
  void startServer() {
    system = new EbsocketSystem(newServer(EbsocketServer.builder()));
    toClose.add(system);
    recorder = new PumpRecorder(system);
  }

  /** Closes {@code closeable} after the test, in the order given. */
  protected <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  @AfterEach
  void closeEverything() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  protected EbsocketServer newServer(EbsocketServer.Builder builder) {
    return newServer(builder, 0);
  }

  /** A server on 127.0.0.1 at {@code port} (0 for an ephemeral one), with short timeouts. */
  protected EbsocketServer newServer(EbsocketServer.Builder builder, int port) {
    if (door() == Door.WEB_SOCKET) {
      builder.listen(Listener.webSocket("127.0.0.1", port, "/ebs"));
    } else {
      builder.host("127.0.0.1").port(port);
    }
    return builder
        .closeTimeout(Duration.ofMillis(500))
        .shutdownTimeout(Duration.ofSeconds(5))
        .transport(transport())
        .build();
  }

  protected EbsocketClient newClient(EbsocketClient.Builder builder) {
    EbsocketClient client =
        builder.transport(transport()).closeTimeout(Duration.ofMillis(500)).build();
    toClose.add(client);
    return client;
  }

  protected EbsocketClient connectedClient() {
    return connectedClient(system);
  }

  protected EbsocketClient connectedClient(EbsocketSystem to) {
    EbsocketClient client = newClient(EbsocketClient.builder());
    try {
      client.connectTo(uri(to));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return client;
  }

  protected static EbsocketEvent message(Object content) {
    return new EbsocketEvent("message").with("content", content);
  }

  protected static EbsocketEvent receive(EbsocketClient client) {
    return client.recvEvent(WAIT).orElseThrow(() -> new AssertionError("no event within " + WAIT));
  }

}
