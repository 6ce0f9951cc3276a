package io.ebsockets.netty;

import io.ebsockets.ReconnectContractTest;
import io.ebsockets.RequestReplyContractTest;
import io.ebsockets.TransportContractTest;
import io.ebsockets.spi.TransportProvider;
import org.junit.jupiter.api.Nested;

/** The facade contract over Netty's NIO transport, the fallback where epoll does not load. */
class NioContractTest extends TransportContractTest {

  @Override
  protected TransportProvider transport() {
    return new NettyTransportProvider(IoKind.NIO);
  }

  @Nested
  class RequestReply extends RequestReplyContractTest {
    @Override
    protected TransportProvider transport() {
      return new NettyTransportProvider(IoKind.NIO);
    }
  }

  @Nested
  class Reconnect extends ReconnectContractTest {
    @Override
    protected TransportProvider transport() {
      return new NettyTransportProvider(IoKind.NIO);
    }
  }
}
