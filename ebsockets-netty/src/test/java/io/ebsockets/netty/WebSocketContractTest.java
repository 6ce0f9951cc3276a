package io.ebsockets.netty;

import io.ebsockets.Door;
import io.ebsockets.spi.TransportProvider;
import io.ebsockets.testsupport.TransportContractTest;

/** The facade contract over the WebSocket door: the same tests as over TCP. */
class WebSocketContractTest extends TransportContractTest {

  @Override
  protected TransportProvider transport() {
    return new NettyTransportProvider(IoKind.NIO);
  }

  @Override
  protected Door door() {
    return Door.WEB_SOCKET;
  }
}
