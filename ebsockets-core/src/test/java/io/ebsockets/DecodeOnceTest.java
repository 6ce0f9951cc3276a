package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.ClientTransport;
import io.ebsockets.spi.ConnectionListener;
import io.ebsockets.spi.ServerTransport;
import io.ebsockets.spi.TransportChannel;
import io.ebsockets.spi.TransportProvider;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An event a transport decoded into normalised values reaches the pump as one event built
 * around that very data: no copy, no second normalisation, no wrapper event.
 */
class DecodeOnceTest {

  @Test
  void theServerPumpsTheEventAroundTheDataTheTransportDecoded() {
    FakeServerTransport transport = new FakeServerTransport();
    try (EbsocketSystem system =
        new EbsocketSystem(EbsocketServer.builder().transport(transport).build())) {
      ChannelSink sink = transport.listener.opened(new FakeChannel(true));
      Map<String, Object> inner = new LinkedHashMap<>();
      inner.put("content", "hi");
      Map<String, Object> data = Collections.unmodifiableMap(inner);

      assertThat(sink.receivedNormalised("message", data, 40, 40, 0, 0)).isTrue();
      sink.readComplete();

      PumpResult result = system.pump(Duration.ofSeconds(5));
      assertThat(result.newClients()).hasSize(1);
      EbsocketEvent event = result.newEvents().get(0);
      assertThat(event.data()).isSameAs(data);
      assertThat(event.source()).containsSame(result.newClients().get(0));
      assertThat(system.stats().eventsIn()).isEqualTo(1);
    }
  }

  private static final class FakeServerTransport implements TransportProvider, ServerTransport {
    ConnectionListener listener;

    @Override
    public ServerTransport bind(ServerOptions options, ConnectionListener listener) {
      this.listener = listener;
      return this;
    }

    @Override
    public ClientTransport connect(InetSocketAddress a, ClientOptions o, ChannelSink s) {
      throw new UnsupportedOperationException("server-side fake");
    }

    @Override
    public InetSocketAddress localAddress() {
      return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public boolean sendTo(EbsocketEvent event, TransportChannel target) {
      return false;
    }

    @Override
    public int send(EbsocketEvent event, Iterable<? extends TransportChannel> targets) {
      return 0;
    }

    @Override
    public long eventsOut() {
      return 0;
    }

    @Override
    public long bytesOut() {
      return 0;
    }

    @Override
    public void close() {}
  }
}
