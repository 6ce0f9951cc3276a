package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.ClientTransport;
import io.ebsockets.spi.ConnectionListener;
import io.ebsockets.spi.ServerTransport;
import io.ebsockets.spi.TransportProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A transport thread reports a connection's end while an application thread is inside a send:
 * the report must not wait for the sender (the I/O threads are shared by every client of the
 * JVM, so a wait there stalls them all). A fake transport whose send blocks holds the sender in
 * place, deterministically.
 */
class ClientIoThreadTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final ExecutorService ioThread = Executors.newSingleThreadExecutor();
  private final ExecutorService appThread = Executors.newSingleThreadExecutor();
  private final BlockingSendProvider provider = new BlockingSendProvider();

  @AfterEach
  void stop() {
    provider.transport.releaseSends.countDown();
    ioThread.shutdownNow();
    appThread.shutdownNow();
  }

  @ParameterizedTest(name = "ended with {0}")
  @EnumSource(
      value = CloseReason.class,
      names = {"IO_ERROR", "KICKED"}) // one that reconnects, one that ends the client
  void theEndOfAConnectionIsReportedWhileASenderIsInsideSend(CloseReason reason) throws Exception {
    EbsocketClient client =
        EbsocketClient.builder().transport(provider).reconnect(ReconnectPolicy.defaults()).build();
    client.connectTo(new InetSocketAddress("127.0.0.1", 1));
    CompletableFuture<Void> send =
        CompletableFuture.runAsync(() -> client.sendEvent(new EbsocketEvent("x")), appThread);
    assertThat(provider.transport.sendEntered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .isTrue();

    CompletableFuture<Void> reported =
        CompletableFuture.runAsync(
            () -> provider.sink.closed(new CloseStatus(reason, "cut by the test")), ioThread);

    assertThat(reported).succeedsWithin(WAIT);
    assertThat(send).isNotDone();
    provider.transport.releaseSends.countDown();
    assertThat(send).succeedsWithin(WAIT);
    client.close();
  }

  /** Connects once to a fake transport; later attempts fail at once. */
  private static final class BlockingSendProvider implements TransportProvider {
    final BlockingSendTransport transport = new BlockingSendTransport();
    volatile ChannelSink sink;

    @Override
    public ServerTransport bind(ServerOptions options, ConnectionListener listener) {
      throw new UnsupportedOperationException("client-side fake");
    }

    @Override
    public ClientTransport connect(
        InetSocketAddress address, ClientOptions options, ChannelSink sink) throws IOException {
      if (this.sink != null) {
        throw new IOException("the fake connects once");
      }
      this.sink = sink;
      sink.attached(transport);
      return transport;
    }
  }

  /** Its first send blocks until the test releases it. */
  private static final class BlockingSendTransport extends FakeChannel implements ClientTransport {
    final CountDownLatch sendEntered = new CountDownLatch(1);
    final CountDownLatch releaseSends = new CountDownLatch(1);

    @Override
    public boolean send(EbsocketEvent event) {
      sendEntered.countDown();
      try {
        releaseSends.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return status == null;
    }
  }
}
