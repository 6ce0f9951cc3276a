package io.ebsockets.netty;

import io.ebsockets.testsupport.TransportContractTest;
import io.ebsockets.spi.TransportProvider;

/** The facade contract over Netty's NIO transport, the fallback where epoll does not load. */
class NioContractTest extends TransportContractTest {

  @Override
  protected TransportProvider transport() {
    return new NettyTransportProvider(IoKind.NIO);
  }
}
