package io.ebsockets.bench.server;

import io.ebsockets.bench.load.Cli;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jctools.queues.unpadded.MpscUnboundedUnpaddedArrayQueue;

/**
 * The raw-Netty baseline: the relay's work (decode the frame's JSON, check the type, build the
 * outgoing event, encode it once, write it to every connection) written directly on Netty, with
 * no queue to a pump thread, no pump loop and no event model — and with the same wire format,
 * socket options and write coalescing as ebsockets (each connection's writes are queued and
 * written by its event loop in one pass with one flush, and a connection flushed within the
 * write-coalescing window waits for the window's end). The load tool runs every scenario
 * against this and ebsockets in the same invocation; the ratio is what ebsockets' own layers
 * cost.
 *
 * <p>Options: {@code --host H --port N --io-threads N --mode relay|echo --write-coalescing-us N}
 * (default 1000, ebsockets' default).
 */
public final class BaselineServer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final AttributeKey<Outbound> OUTBOUND = AttributeKey.valueOf("outbound");

  private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
  private final boolean echo;

  private BaselineServer(boolean echo) {
    this.echo = echo;
  }

  public static void main(String[] argv) throws InterruptedException {
    Map<String, String> args = Cli.parse("BaselineServer",
        "The raw-Netty relay (or echo) that ebsockets is measured against.",
        Cli.serverOptions(Cli.option("mode", "relay|echo", "what to do with each frame")), argv);
    int threads = Integer.parseInt(args.getOrDefault("io-threads", "0"));
    // ebsockets' default write-coalescing window (ConnectionOptions.DEFAULT_WRITE_COALESCING).
    long window = TimeUnit.MICROSECONDS.toNanos(
        Long.parseLong(args.getOrDefault("write-coalescing-us", "1000")));
    BaselineServer server = new BaselineServer("echo".equals(args.get("mode")));
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(
        threads, new DefaultThreadFactory("baseline", true), EpollIoHandler.newFactory());
    Channel listening = new ServerBootstrap()
        .group(group)
        .channel(EpollServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.attr(OUTBOUND).set(new Outbound(ch, window));
            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder((1 << 20) + 4, 0, 4, 0, 4, true));
            ch.pipeline().addLast(server.new Relay());
          }
        })
        .bind(args.getOrDefault("host", "127.0.0.1"), Integer.parseInt(args.get("port")))
        .sync()
        .channel();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      listening.close();
      group.shutdownGracefully();
    }));
    listening.closeFuture().sync();
  }

  /** Decodes, checks the type, builds the reply, encodes once, writes to all (or the sender). */
  private final class Relay extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      channels.add(ctx.channel());
      ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      channels.remove(ctx.channel());
      ctx.channel().attr(OUTBOUND).get().release();
      ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf frame = (ByteBuf) msg;
      Map<String, Object> payload;
      try (InputStream in = new ByteBufInputStream(frame)) {
        payload = JSON.readValue(in, MAP);
      } catch (IOException e) {
        ctx.close();
        return;
      } finally {
        ReferenceCountUtil.release(frame);
      }
      if (!"message".equals(payload.get("type"))) {
        return;
      }
      Object data = payload.get("data");
      Object content = data instanceof Map<?, ?> m ? m.get("content") : null;
      // Keys in the order ebsockets writes them (Map.of's order changes from run to run).
      Map<String, Object> outgoing = new LinkedHashMap<>();
      outgoing.put("type", "message");
      outgoing.put("data", contentMap(content));
      ByteBuf encoded = encode(ctx, outgoing);
      try {
        if (echo) {
          ctx.channel().attr(OUTBOUND).get().enqueue(encoded.retainedDuplicate());
        } else {
          for (Channel target : channels) {
            target.attr(OUTBOUND).get().enqueue(encoded.retainedDuplicate());
          }
        }
      } finally {
        encoded.release();
      }
    }

    private Map<String, Object> contentMap(Object content) {
      Map<String, Object> data = new HashMap<>();
      data.put("content", content);
      return data;
    }

    private ByteBuf encode(ChannelHandlerContext ctx, Map<String, Object> event) {
      ByteBuf buf = ctx.alloc().buffer();
      buf.writeInt(0);
      try (OutputStream out = new ByteBufOutputStream(buf)) {
        JSON.writeValue(out, event);
      } catch (IOException e) {
        buf.release();
        throw new UncheckedIOException(e);
      }
      buf.setInt(0, buf.readableBytes() - 4);
      return buf;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /**
   * The same coalescing as ebsockets: queue, then one write pass and one flush on the loop, at
   * once if the channel was not flushed within the window, else when the window ends.
   */
  private static final class Outbound implements Runnable {
    private final Channel channel;
    private final long windowNanos;
    // The same queue as ebsockets' NettyConnection (one consumer here: the loop).
    private final Queue<ByteBuf> queue = new MpscUnboundedUnpaddedArrayQueue<>(16);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** When this channel was last flushed: ebsockets' write-coalescing rule, the same window. */
    private volatile long lastFlushNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);

    Outbound(Channel channel, long windowNanos) {
      this.channel = channel;
      this.windowNanos = windowNanos;
    }

    void enqueue(ByteBuf frame) {
      if (!channel.isActive()) {
        frame.release();
        return;
      }
      queue.offer(frame);
      if (scheduled.compareAndSet(false, true)) {
        long delay = lastFlushNanos + windowNanos - System.nanoTime();
        if (delay > 0) {
          channel.eventLoop().schedule(this, delay, TimeUnit.NANOSECONDS);
        } else {
          channel.eventLoop().execute(this);
        }
      }
    }

    @Override
    public void run() {
      scheduled.set(false);
      ByteBuf frame;
      boolean wrote = false;
      while ((frame = queue.poll()) != null) {
        channel.write(frame, channel.voidPromise());
        wrote = true;
      }
      if (wrote) {
        lastFlushNanos = System.nanoTime();
        channel.flush();
      }
    }

    void release() {
      ByteBuf frame;
      while ((frame = queue.poll()) != null) {
        frame.release();
      }
    }
  }
}
