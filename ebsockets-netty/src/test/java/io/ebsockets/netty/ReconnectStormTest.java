package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.CloseReason;
import io.ebsockets.ConnectionEndedException;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.ReconnectPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reconnect storm: 5,000 reconnecting clients and a server restart. The closing server spreads
 * its shutdown hints over the time its accept rate needs for all of them; the new one (same
 * port, same rate) takes them no faster than its accept rate (measured on its own {@code
 * accepted} counter, over every one-second window), turns the excess away with {@code
 * overloaded} and slots; every client is back within the bound the hints promise, and none
 * gives up. The figures go to docs/RELIABILITY.md ("Reconnect storms").
 */
@Tag("heavy")
class ReconnectStormTest {
  private static final Logger log = LoggerFactory.getLogger(ReconnectStormTest.class);
  private static final int CLIENTS = 5_000;
  private static final int RATE = 1_000;
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
  private static final Duration INITIAL_DELAY = Duration.ofMillis(250);

  private static EbsocketServer.Builder server(int port) {
    return EbsocketServer.builder().host("127.0.0.1").port(port).acceptRate(RATE)
        .retryAfter(RETRY_AFTER).maxConnections(CLIENTS + 100)
        .closeTimeout(Duration.ofMillis(500)).shutdownTimeout(Duration.ofSeconds(20));
  }

  @Test
  void fiveThousandClientsComeBackNoFasterThanTheAcceptRateAndAllWithinTheHintsBound()
      throws Exception {
    EbsocketSystem first = new EbsocketSystem(server(0).build());
    InetSocketAddress address = first.server().address();
    List<EbsocketClient> clients = Collections.synchronizedList(new ArrayList<>());
    ScheduledExecutorService pacer = Executors.newScheduledThreadPool(4);
    EbsocketSystem second = null;
    try {
      connectPaced(clients, address, pacer);
      assertThat(first.stats().connections()).isEqualTo(CLIENTS);

      long restart = System.nanoTime();
      first.close(); // hints from 1 s to 1 s + 5,000 / (80% of 1,000 per second)
      // Every client has had its close, and counts its hint from it, by the time close() returns.
      long closed = System.nanoTime();
      second = new EbsocketSystem(server(address.getPort()).build());
      EbsocketSystem back = second;
      ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
      ScheduledFuture<?> sampler = pacer.scheduleAtFixedRate(
          () -> samples.add(new long[] {System.nanoTime(), back.stats().accepted()}),
          0, 50, TimeUnit.MILLISECONDS);
      // The bound the hints promise: the longest shutdown hint, plus the first attempt's jitter.
      Duration promised =
          RETRY_AFTER.plusMillis(1_000L * CLIENTS * 5 / 4 / RATE).plus(INITIAL_DELAY);
      await().atMost(promised.plusSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> back.stats().accepted() == CLIENTS);
      long now = System.nanoTime();
      Duration allBack = Duration.ofNanos(now - restart);
      Duration afterTheirCloses = Duration.ofNanos(now - closed);
      sampler.cancel(false);

      double peak = peakPerSecond(new ArrayList<>(samples));
      log.info("reconnect storm: {} clients, accept rate {}/s: peak {} accepted in a 1 s window,"
          + " all back {} ms after the restart began, {} ms after the old server had closed"
          + " them all (hints promise {} ms), {} turned away", CLIENTS, RATE, Math.round(peak),
          allBack.toMillis(), afterTheirCloses.toMillis(), promised.toMillis(),
          back.stats().turnedAway().overloaded());
      // GCRA at 90% of the rate with a tenth of it as the burst: never more than the rate.
      // (1% for the sampling: a sample's time and count are read a moment apart)
      assertThat(peak).isLessThanOrEqualTo(RATE * 1.01);
      // Within the promise, counted from the closes (a second's margin for timers and polling).
      assertThat(afterTheirCloses).isLessThan(promised.plusSeconds(1));
      // The shutdown hints did their job: they came back spread out, not to be turned away.
      assertThat(back.stats().turnedAway().overloaded()).isLessThan(CLIENTS / 10);
      synchronized (clients) {
        for (EbsocketClient client : clients) {
          assertThat(client.isConnected()).isTrue();
          assertThat(client.closeStatus()).isEmpty(); // none gave up
        }
      }
    } finally {
      pacer.shutdownNow();
      first.close();
      if (second != null) {
        second.close();
      }
      synchronized (clients) {
        clients.forEach(EbsocketClient::close);
      }
    }
  }

  /**
   * Connects the clients at 80% of the accept rate (the first server takes no more either), each
   * connect on the pacer's threads; one the server turns away (the pacer may bunch up after a
   * pause) tries again when its hint says.
   */
  private static void connectPaced(List<EbsocketClient> clients, InetSocketAddress address,
      ScheduledExecutorService pacer) throws InterruptedException {
    CountDownLatch connected = new CountDownLatch(CLIENTS);
    AtomicInteger started = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long every = TimeUnit.SECONDS.toNanos(1) / (RATE * 8 / 10);
    ScheduledFuture<?> paced = pacer.scheduleAtFixedRate(() -> {
      if (started.incrementAndGet() <= CLIENTS) {
        EbsocketClient client = EbsocketClient.builder()
            .reconnect(ReconnectPolicy.builder().initialDelay(INITIAL_DELAY).build()).build();
        clients.add(client);
        connect(client, address, pacer, connected, failed);
      }
    }, 0, every, TimeUnit.NANOSECONDS);
    assertThat(connected.await(60, TimeUnit.SECONDS)).isTrue();
    paced.cancel(false);
    assertThat(failed.get()).as("first connects that failed").isZero();
  }

  private static void connect(EbsocketClient client, InetSocketAddress address,
      ScheduledExecutorService pacer, CountDownLatch connected, AtomicInteger failed) {
    try {
      client.connectTo(address);
      connected.countDown();
    } catch (ConnectionEndedException e) {
      if (e.status().reason() != CloseReason.OVERLOADED) {
        failed.incrementAndGet();
        connected.countDown();
        return;
      }
      pacer.schedule(() -> connect(client, address, pacer, connected, failed),
          e.status().retryAfter().toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.io.IOException e) {
      log.warn("storm: a first connect failed: {}", e.getMessage());
      failed.incrementAndGet();
      connected.countDown();
    }
  }

  /** The most accepted within any window of at least one second between two samples. */
  private static double peakPerSecond(List<long[]> samples) {
    double peak = 0;
    int from = 0;
    for (int to = 0; to < samples.size(); to++) {
      while (from < to && samples.get(to)[0] - samples.get(from + 1)[0] >= 1_000_000_000L) {
        from++;
      }
      long span = samples.get(to)[0] - samples.get(from)[0];
      if (span >= 1_000_000_000L) {
        peak = Math.max(peak, (samples.get(to)[1] - samples.get(from)[1]) * 1e9 / span);
      }
    }
    return peak;
  }
}
