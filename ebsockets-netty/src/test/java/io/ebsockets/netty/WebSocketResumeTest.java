package io.ebsockets.netty;

import io.ebsockets.Door;
import io.ebsockets.spi.TransportProvider;
import io.ebsockets.testsupport.ResumeContractTest;

/** Resumable sessions over the WebSocket door: the same tests as over TCP. */
class WebSocketResumeTest extends ResumeContractTest {

  @Override
  protected TransportProvider transport() {
    return new NettyTransportProvider(IoKind.NIO);
  }

  @Override
  protected Door door() {
    return Door.WEB_SOCKET;
  }
}
