package io.ebsockets.netty;

import io.ebsockets.testsupport.RequestReplyContractTest;
import io.ebsockets.spi.TransportProvider;

/** The request/reply contract over Netty's native epoll transport. */
class EpollRequestReplyTest extends RequestReplyContractTest {

  @Override
  protected TransportProvider transport() {
    return new NettyTransportProvider(IoKind.EPOLL);
  }
}
