package io.ebsockets.netty;

import io.ebsockets.spi.TransportProvider;
import io.ebsockets.testsupport.ResumeContractTest;

/** Resumable sessions over the TCP door. */
class ResumeTest extends ResumeContractTest {

  @Override
  protected TransportProvider transport() {
    return new NettyTransportProvider(IoKind.NIO);
  }
}
