package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.testsupport.TransportContractTest;
import io.ebsockets.spi.TransportProvider;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;

/** The facade contract over Netty's native epoll transport, which this machine must load. */
class EpollContractTest extends TransportContractTest {

  @Override
  protected TransportProvider transport() {
    return new NettyTransportProvider(IoKind.EPOLL);
  }

  @Test
  void nativeEpollLoadsAndIsTheDefault() {
    assertThat(Epoll.isAvailable()).as(String.valueOf(Epoll.unavailabilityCause())).isTrue();
    assertThat(IoKind.best()).isEqualTo(IoKind.EPOLL);
  }
}
