package io.ebsockets.netty;

import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * An embedded channel whose "socket" takes nothing until told to: writes stay in Netty's
 * outbound buffer, as they do for a peer that does not read.
 */
final class StuckChannel extends EmbeddedChannel {
  private boolean taking;

  @Override
  protected void doWrite(ChannelOutboundBuffer in) throws Exception {
    if (taking) {
      super.doWrite(in);
    }
  }

  /** The peer reads again: everything pending is written. */
  void catchUp() {
    taking = true;
    flushOutbound();
    taking = false;
    pipeline().fireChannelWritabilityChanged();
  }
}
