package io.ebsockets.netty;

import io.ebsockets.testsupport.ReconnectContractTest;
import io.ebsockets.spi.TransportProvider;

/** The reconnecting-client contract over Netty's NIO transport. */
class NioReconnectTest extends ReconnectContractTest {

  @Override
  protected TransportProvider transport() {
    return new NettyTransportProvider(IoKind.NIO);
  }
}
