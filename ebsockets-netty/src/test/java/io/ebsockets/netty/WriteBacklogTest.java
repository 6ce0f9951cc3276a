package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.ClientOptions;
import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.ServerOptions;
import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.ClientTransport;
import io.ebsockets.spi.ConnectionListener;
import io.ebsockets.spi.ServerTransport;
import io.ebsockets.spi.TransportProvider;
import io.ebsockets.testsupport.BlockingCallCheck;
import io.ebsockets.testsupport.PumpRecorder;
import io.ebsockets.testsupport.WireClient;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class WriteBacklogTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aSenderOverTheBoundWaitsUntilTheLoopsHaveWrittenItDownToHalf() throws Exception {
    EventLoop serverLoop = new DefaultEventLoop(new DefaultThreadFactory("server-loop"));
    try {
      WriteBacklog backlog = new WriteBacklog(1000, serverLoop);
      backlog.add(1000);
      CompletableFuture.runAsync(backlog::awaitRoom).get(10, TimeUnit.SECONDS); // at the bound

      backlog.add(1);
      CountDownLatch returned = new CountDownLatch(1);
      Thread sender = new Thread(() -> {
        backlog.awaitRoom();
        returned.countDown();
      });
      sender.start();
      await().atMost(WAIT).until(() -> isParkedIn(sender, backlog));
      serverLoop.submit(() -> backlog.remove(500)).get(); // 501 left: still over half
      assertThat(returned.getCount()).as("returned at 501 of 1000").isEqualTo(1);
      assertThat(isParkedIn(sender, backlog)).isTrue();
      serverLoop.submit(() -> backlog.remove(1)).get(); // 500: half
      assertThat(returned.await(10, TimeUnit.SECONDS)).as("returned at half").isTrue();
      assertThat(backlog.queued()).isEqualTo(500);
    } finally {
      serverLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  @Test
  void theServersOwnEventLoopNeverWaitsForWhatItMustWriteItself() throws Exception {
    EventLoop serverLoop = new DefaultEventLoop(new DefaultThreadFactory("server-loop"));
    try {
      WriteBacklog backlog = new WriteBacklog(10, serverLoop);
      backlog.add(100);
      serverLoop.submit(backlog::awaitRoom).get(10, TimeUnit.SECONDS);
      assertThat(backlog.queued()).isEqualTo(100);
    } finally {
      serverLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  /** Lettuce, for one, runs its callbacks on Netty event loops of its own. */
  @Test
  void anotherLibrarysNettyEventLoopWaitsLikeAnyOtherSender() throws Exception {
    EventLoop serverLoop = new DefaultEventLoop(new DefaultThreadFactory("server-loop"));
    EventLoop otherLibrary = new DefaultEventLoop(new DefaultThreadFactory("other-library"));
    try {
      WriteBacklog backlog = new WriteBacklog(10, serverLoop);
      backlog.add(100);
      AtomicReference<Thread> otherThread = new AtomicReference<>();
      Future<?> send = otherLibrary.submit(() -> {
        otherThread.set(Thread.currentThread());
        // BlockHound would stop the wait itself: a loop of ours must not block; this one may.
        BlockingCallCheck.tolerate(backlog::awaitRoom);
      });
      await().atMost(WAIT).until(() -> otherThread.get() != null
          && isParkedIn(otherThread.get(), backlog));
      assertThat(send.isDone()).isFalse();
      serverLoop.submit(() -> backlog.remove(95)).get();
      send.get(10, TimeUnit.SECONDS);
    } finally {
      serverLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      otherLibrary.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }
  }

  @Test
  void closingTheBacklogEndsEveryWait() throws Exception {
    WriteBacklog backlog = new WriteBacklog(10, new DefaultEventLoop());
    backlog.add(100);
    Thread sender = new Thread(backlog::awaitRoom);
    sender.start();
    await().atMost(WAIT).until(() -> isParkedIn(sender, backlog));
    backlog.close();
    sender.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(sender.isAlive()).isFalse();
  }

  private static boolean isParkedIn(Thread thread, WriteBacklog backlog) {
    return LockSupport.getBlocker(thread) == backlog;
  }

  @Test
  void anInterruptedSenderDoesNotWaitAndKeepsItsInterrupt() throws Exception {
    WriteBacklog backlog = new WriteBacklog(10, new DefaultEventLoop());
    backlog.add(100);
    CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
    Thread sender = new Thread(() -> {
      Thread.currentThread().interrupt();
      backlog.awaitRoom();
      stillInterrupted.complete(Thread.currentThread().isInterrupted());
    });
    sender.start();
    assertThat(stillInterrupted.get(10, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * The server's only I/O thread is held up while the pump thread broadcasts 2 MB to each of
   * four clients, twice each client's outbound limit. Without the bound every client would be
   * closed as a slow consumer for the server's own delay; with it the broadcasting thread waits
   * at the bound, and once the loop runs again every client gets every event.
   */
  @Test
  void aBroadcastThatFindsTheServerBehindWaitsInsteadOfClosingClientsThatReadWell()
      throws Exception {
    int backlogBound = 256 << 10;
    List<NettyConnection> connections = new CopyOnWriteArrayList<>();
    try (EbsocketSystem system = new EbsocketSystem(EbsocketServer.builder()
        .host("127.0.0.1").port(0).ioThreads(1)
        .maxOutboundBytes(1 << 20)
        .maxOutboundBacklogBytes(backlogBound)
        .transport(recording(connections))
        .build())) {
      PumpRecorder recorder = new PumpRecorder(system);
      List<WireClient> clients = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        clients.add(WireClient.connect(system.server().address()));
        recorder.nextClient();
      }
      int events = 2000;
      String padding = "p".repeat(1000);
      AtomicInteger sent = new AtomicInteger();
      CountDownLatch loopHeld = new CountDownLatch(1);
      CountDownLatch releaseLoop = new CountDownLatch(1);
      connections.get(0).eventLoop().execute(() -> {
        loopHeld.countDown();
        BlockingCallCheck.tolerate(() -> awaitUninterruptibly(releaseLoop)); // on purpose
      });
      Thread broadcaster = new Thread(() -> {
        for (int n = 0; n < events; n++) {
          system.sendEventToClients(new EbsocketEvent("storm").with("n", n).with("pad", padding));
          sent.incrementAndGet();
        }
      });
      try {
        assertThat(loopHeld.await(10, TimeUnit.SECONDS)).isTrue();
        broadcaster.start();
        await().atMost(WAIT).until(() -> broadcaster.getState() == Thread.State.WAITING
            && backlog(connections) > backlogBound);
        long oneBroadcast = 4 * (padding.length() + 100L);
        assertThat(backlog(connections)).isLessThanOrEqualTo(backlogBound + oneBroadcast);
        assertThat(sent.get()).isLessThan(events / 4);
        assertThat(connections).allMatch(NettyConnection::isOpen);
      } finally {
        releaseLoop.countDown();
      }
      for (WireClient client : clients) {
        for (int n = 0; n < events; n++) {
          Map<String, Object> frame = client.readFrameOfType("storm");
          assertThat(((Map<?, ?>) frame.get("data")).get("n")).isEqualTo(n);
        }
      }
      broadcaster.join(WAIT.toMillis());
      assertThat(sent.get()).isEqualTo(events);
      assertThat(connections).allMatch(NettyConnection::isOpen);
      assertThat(system.pump(Duration.ZERO).disconnectedClients()).isEmpty();
      clients.forEach(WireClient::close);
    }
  }

  /**
   * A broadcast charges the backlog once for every frame it offered, including the frame that
   * takes a stalled client over its outbound limit (queued, then released when the close
   * begins) and the ones offered to it afterwards (refused). Once everything is written the
   * count is back to zero: a frame charged but never uncounted, or uncounted but never charged,
   * would leave it off for good.
   */
  @Test
  @SuppressWarnings("try") // the stalled socket is closed early, on purpose
  void theBacklogCountReturnsToZeroAfterBroadcastsThatAStalledClientDropped() throws Exception {
    List<NettyConnection> connections = new CopyOnWriteArrayList<>();
    try (EbsocketSystem system = new EbsocketSystem(EbsocketServer.builder()
        .host("127.0.0.1").port(0)
        .maxFrameLength(16 << 10)
        .maxOutboundBytes(64 << 10)
        .transport(recording(connections))
        .build());
        Socket stalled = new Socket();
        EbsocketClient client = new EbsocketClient()) {
      PumpRecorder recorder = new PumpRecorder(system);
      client.connectTo(system.server().address());
      recorder.nextClient();
      stalled.setReceiveBufferSize(4096);
      stalled.connect(system.server().address());
      EbsocketConnection slow = recorder.nextClient();
      // Ends when the client is closed, at the end of the try.
      OrderedReader reader = new OrderedReader(client, task -> new Thread(task, "reader").start());
      String padding = "p".repeat(8000);
      int sent = 0;
      while (slow.isOpen() && sent < 100_000) {
        system.sendEventToClients(new EbsocketEvent("storm").with("n", sent).with("pad", padding));
        sent++;
        if (sent % 4 == 0) {
          int now = sent; // the reader keeps well under its 64 KiB limit
          await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
              .until(() -> reader.received.get() >= now);
        }
      }
      stalled.close(); // ends the close handshake it would never answer
      int total = sent;
      await().atMost(WAIT).until(() -> reader.received.get() >= total);
      assertThat(recorder.nextDisconnect()).isSameAs(slow);
      assertThat(slow.closeStatus()).get().extracting(CloseStatus::reason)
          .isEqualTo(CloseReason.SLOW_CONSUMER);
      WriteBacklog backlog = connections.get(0).settings().backlog();
      await().atMost(WAIT).until(() -> backlog.queued() == 0);
      assertThat(reader.problems).isEmpty();
      assertThat(reader.received.get()).isEqualTo(total);
    }
  }

  /** The server's write backlog: bytes sent and not yet handed to a socket by its loop. */
  private static long backlog(List<NettyConnection> connections) {
    return connections.get(0).settings().backlog().queued();
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // the loop is being held on purpose; the test releases it
      }
    }
  }

  /** The Netty transport, recording the connections it opens. */
  private static TransportProvider recording(List<NettyConnection> connections) {
    TransportProvider netty = new NettyTransportProvider();
    return new TransportProvider() {
      @Override
      public ServerTransport bind(ServerOptions options, ConnectionListener listener) {
        return netty.bind(options, channel -> {
          connections.add((NettyConnection) channel);
          return listener.opened(channel);
        });
      }

      @Override
      public ClientTransport connect(
          InetSocketAddress address, ClientOptions options, ChannelSink sink) throws IOException {
        return netty.connect(address, options, sink);
      }
    };
  }
}
