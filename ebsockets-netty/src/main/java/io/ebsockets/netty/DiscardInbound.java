package io.ebsockets.netty;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Put first in the pipeline of a closing connection: whatever the peer still sends is read (so
 * closing does not reset the connection and destroy the last frame we sent) and dropped.
 */
@Sharable
final class DiscardInbound extends ChannelInboundHandlerAdapter {
  static final String NAME = "discard";
  static final DiscardInbound INSTANCE = new DiscardInbound();

  private DiscardInbound() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }
}
