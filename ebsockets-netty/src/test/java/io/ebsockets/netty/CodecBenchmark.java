package io.ebsockets.netty;

import io.ebsockets.EbsocketEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encode and decode of a small chat event and of a 1 KiB event. It lives beside the codec, in
 * the transport module's test sources, because the codec is package-private (a benchmark in
 * another module would have to split the package). Run with the GC profiler, as {@code
 * bench/run.sh codec} does:
 *
 * <pre>
 * java -cp "$(cat ebsockets-netty/target/test-classpath.txt):ebsockets-netty/target/test-classes" \
 *     org.openjdk.jmh.Main CodecBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
  @Param({"chat", "1KiB"})
  public String size;

  private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
  private EbsocketEvent event;
  private ByteBuf payload;

  @Setup(Level.Trial)
  public void setUp() {
    event = size.equals("chat")
        ? new EbsocketEvent("message").with("content", "hello everyone, how is it going?")
        : new EbsocketEvent("state")
            .with("player", "alice")
            .with("x", 12.5)
            .with("y", -3.25)
            .with("tags", java.util.List.of("a", "b", "c"))
            .with("blob", "z".repeat(900));
    ByteBuf frame = EventCodec.encode(alloc, event, 1 << 20);
    frame.skipBytes(4);
    payload = frame;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    payload.release();
  }

  /** Encodes length and JSON into one pooled buffer, then releases it. */
  @Benchmark
  public int encode() {
    ByteBuf frame = EventCodec.encode(alloc, event, 1 << 20);
    int size = frame.readableBytes();
    frame.release();
    return size;
  }

  /** Decodes one frame's payload (UTF-8 check included) into an event. */
  @Benchmark
  public Object decode() {
    return EventCodec.decode(payload.duplicate());
  }
}
