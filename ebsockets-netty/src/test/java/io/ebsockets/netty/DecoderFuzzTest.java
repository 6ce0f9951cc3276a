package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.EbsocketEvent;
import io.ebsockets.testsupport.WireClient;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import io.ebsockets.testsupport.RuntimeChecksExtension;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Property-based fuzzing of the inbound pipeline: whatever bytes arrive, in whatever pieces, the
 * decoders produce events, control frames or {@link ProtocolException}s — nothing else escapes —
 * and no buffer leaks (the leak extension checks after each property).
 */
class DecoderFuzzTest {
  private static final int MAX = 4096;

  /** jqwik does not run Jupiter extensions, so the leak check is called here. */
  @AfterContainer
  static void noBufferLeaked() {
    RuntimeChecksExtension.check("DecoderFuzzTest");
  }

  /** Collects what the decoders emit and the failures that reach the end of the pipeline. */
  private static final class Sink extends ChannelInboundHandlerAdapter {
    final List<Object> decoded = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      decoded.add(msg);
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      failures.add(cause);
    }
  }

  private static Sink feed(List<byte[]> pieces) {
    Sink sink = new Sink();
    EmbeddedChannel channel =
        new EmbeddedChannel(new FrameDecoder(MAX), JsonEventDecoder.INSTANCE, sink);
    for (byte[] piece : pieces) {
      channel.writeInbound(Unpooled.wrappedBuffer(piece));
    }
    assertThat(channel.finish()).as("messages left in the channel").isFalse();
    return sink;
  }

  private static void assertOnlyProtocolErrors(Sink sink) {
    for (Throwable failure : sink.failures) {
      assertThat(failure).isInstanceOf(ProtocolException.class);
    }
    for (Object out : sink.decoded) {
      assertThat(out).isInstanceOfAny(DecodedEvent.class, ControlFrame.class);
    }
  }

  @Property(tries = 500)
  void randomBytesYieldOnlyEventsOrProtocolErrors(@ForAll @Size(max = 8) List<@Size(max = 300) byte[]> pieces) {
    assertOnlyProtocolErrors(feed(pieces));
  }

  @Property(tries = 500)
  void randomBytesBehindAPlausibleLengthYieldOnlyEventsOrProtocolErrors(
      @ForAll @Size(min = 1, max = 600) byte[] payload) {
    assertOnlyProtocolErrors(feed(List.of(WireClient.frame(payload))));
  }

  @Property(tries = 1000)
  void mutatedValidFramesYieldOnlyEventsOrProtocolErrors(@ForAll("mutatedFrames") byte[] frame) {
    Sink sink = feed(List.of(frame));
    assertOnlyProtocolErrors(sink);
  }

  @Property(tries = 300)
  void validFramesInRandomPiecesAllDecode(@ForAll("validEvents") List<EbsocketEvent> events,
      @ForAll @Size(min = 1, max = 64) List<Integer> cuts) {
    java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
    for (EbsocketEvent event : events) {
      var frame = EventCodec.encode(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, event, MAX);
      byte[] bytes = new byte[frame.readableBytes()];
      frame.readBytes(bytes);
      frame.release();
      stream.writeBytes(bytes);
    }
    byte[] all = stream.toByteArray();
    List<byte[]> pieces = new ArrayList<>();
    int at = 0;
    for (int cut : cuts) {
      int size = Math.min(all.length - at, Math.floorMod(cut, 97) + 1);
      pieces.add(java.util.Arrays.copyOfRange(all, at, at + size));
      at += size;
    }
    pieces.add(java.util.Arrays.copyOfRange(all, at, all.length));

    Sink sink = feed(pieces);
    assertThat(sink.failures).isEmpty();
    assertThat(sink.decoded).extracting(d -> ((DecodedEvent) d).event()).containsExactlyElementsOf(events);
  }

  @Provide
  Arbitrary<List<EbsocketEvent>> validEvents() {
    Arbitrary<String> keys = Arbitraries.strings().ofMaxLength(8);
    Arbitrary<Object> values = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.doubles().filter(Double::isFinite).map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b));
    Arbitrary<EbsocketEvent> event =
        Combinators.combine(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10),
                Arbitraries.maps(keys, values).ofMaxSize(5))
            .as(EbsocketEvent::new);
    return event.list().ofMaxSize(10);
  }

  @Provide
  Arbitrary<byte[]> mutatedFrames() {
    byte[] valid = WireClient.frame(
        "{\"type\":\"message\",\"data\":{\"content\":\"héllo\",\"n\":[1,2.5,true,null,{\"k\":\"v\"}]}}"
            .getBytes(StandardCharsets.UTF_8));
    Arbitrary<Integer> positions = Arbitraries.integers().between(0, valid.length - 1);
    Arbitrary<Byte> bytes = Arbitraries.bytes();
    return Combinators.combine(positions.list().ofMinSize(1).ofMaxSize(4), bytes.list().ofSize(4),
            Arbitraries.integers().between(0, 2))
        .as((where, what, how) -> mutate(valid, where, what, how));
  }

  private static byte[] mutate(byte[] valid, List<Integer> where, List<Byte> what, int how) {
    byte[] copy = valid.clone();
    switch (how) {
      case 0 -> { // overwrite bytes
        for (int i = 0; i < where.size(); i++) {
          copy[where.get(i)] = what.get(i);
        }
      }
      case 1 -> { // truncate
        copy = java.util.Arrays.copyOf(copy, where.get(0));
      }
      default -> { // drop a byte but keep the declared length
        int at = where.get(0);
        byte[] shorter = new byte[copy.length - 1];
        System.arraycopy(copy, 0, shorter, 0, at);
        System.arraycopy(copy, at + 1, shorter, at, copy.length - at - 1);
        copy = shorter;
      }
    }
    return copy;
  }
}
