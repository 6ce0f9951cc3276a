package io.ebsockets.netty;

import io.ebsockets.CloseStatus;
import io.ebsockets.Door;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;

/**
 * What differs between the doors of wire protocol v1 once a connection is up: how this side
 * ends its output after the farewell, and where a closing connection starts to discard what it
 * reads. Everything else — hello and welcome, pings, the close handshake, limits — is the same
 * code for both ({@link NettyConnection}, {@link ControlHandler}, {@link CloseHandshake}); the
 * payload framing itself is a pipeline stage ({@link FrameDecoder} and the length prefix
 * {@link EventCodec} writes on TCP, {@link WebSocketFraming} on WebSocket).
 */
interface Framing {
  /** TCP: the output is half-closed, and the peer's end of stream ends the connection. */
  Framing TCP =
      new Framing() {
        @Override
        public Door door() {
          return Door.TCP;
        }

        @Override
        public void endOutput(Channel channel, CloseStatus why) {
          if (channel instanceof DuplexChannel duplex) {
            duplex.shutdownOutput();
          } else {
            channel.close();
          }
        }

        @Override
        public void discardInbound(ChannelPipeline pipeline) {
          if (pipeline.get(DiscardInbound.NAME) != null) {
            return;
          }
          if (pipeline.get(Pipelines.TLS) != null) {
            // Behind TLS: a connection closed before its handshake is done (turned away at
            // accept) must still complete it, or its farewell never leaves the SslHandler.
            pipeline.addAfter(Pipelines.TLS, DiscardInbound.NAME, DiscardInbound.INSTANCE);
          } else {
            pipeline.addFirst(DiscardInbound.NAME, DiscardInbound.INSTANCE);
          }
        }
      };

  /** The door. */
  Door door();

  /**
   * Whether a server's connection of this framing, once upgraded, takes its application frames
   * as the unmasked WebSocket frames {@link WebSocketFraming#textFrame} makes, one copy per
   * handout shared by every such recipient on the loop, instead of the length-prefixed frame
   * (false on TCP, and on a WebSocket door with permessage-deflate, whose frames Netty's
   * extension compresses). {@link NettyConnection#upgraded} decides it per connection.
   */
  default boolean sharesWebSocketFrames() {
    return false;
  }

  /**
   * Loop: the farewell is written; ends this side's output (a half-close on TCP, a close frame
   * on WebSocket).
   */
  void endOutput(Channel channel, CloseStatus why);

  /** Loop: from now on what arrives is read and dropped, but the end of the peer is still seen. */
  void discardInbound(ChannelPipeline pipeline);
}
