package io.ebsockets.bench.server;

import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.PumpResult;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one relayed chat event allocates, end to end in one JVM: a raw socket sends a frame, the
 * server decodes it, {@code pump()} hands it out, the seed's loop builds the relayed event and
 * {@code sendEventToClients} encodes and queues it for both clients, and both raw sockets read
 * it back. The raw sockets allocate nothing per event, so JMH's GC profiler ({@code
 * gc.alloc.rate.norm}, bytes per operation, summed over every thread) gives the library's
 * allocation per relayed event: decoding, pumping, relaying, encoding and writing.
 *
 * <pre>
 * java -cp "$(cat ebsockets-bench/target/classpath.txt):ebsockets-bench/target/classes" \
 *     org.openjdk.jmh.Main RelayAllocationBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseParallelGC"})
public class RelayAllocationBenchmark {
  private static final byte[] HELLO =
      frame("{\"type\":\"ebsockets.hello\",\"data\":{\"version\":1,\"maxFrameLength\":1048576}}");
  private static final byte[] CHAT =
      frame("{\"type\":\"message\",\"data\":{\"content\":\"hello everyone, how is it going?\"}}");

  private EbsocketSystem system;
  private Socket sender;
  private Socket receiver;
  private OutputStream senderOut;
  private DataInputStream senderIn;
  private DataInputStream receiverIn;
  private final byte[] readBuffer = new byte[1 << 16];

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    system = new EbsocketSystem(
        EbsocketServer.builder().host("127.0.0.1").port(0).ioThreads(1)
            .writeCoalescing(Duration.ZERO) // a flush per event: no wait for the window
            .build());
    InetSocketAddress address = system.server().address();
    sender = connect(address);
    receiver = connect(address);
    senderOut = sender.getOutputStream();
    // Buffered: a bare socket stream's one-byte read() (readInt) allocates an array per call.
    senderIn = new DataInputStream(new BufferedInputStream(sender.getInputStream(), 1 << 16));
    receiverIn = new DataInputStream(new BufferedInputStream(receiver.getInputStream(), 1 << 16));
    int joined = 0;
    while (joined < 2) {
      joined += system.pump(Duration.ofSeconds(10)).newClients().size();
    }
    skipFrame(senderIn); // the welcomes
    skipFrame(receiverIn);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    sender.close();
    receiver.close();
    system.close();
  }

  /** One event in, relayed to both clients as the seed's loop does, and read by both. */
  @Benchmark
  public int relayOneEvent() throws IOException {
    senderOut.write(CHAT);
    senderOut.flush();
    List<EbsocketEvent> events;
    do {
      PumpResult result = system.pump();
      events = result.newEvents();
    } while (events.isEmpty());
    int queued = 0;
    for (EbsocketEvent event : events) {
      if (event.compareType("message")) {
        Object content = event.getAttribute("content");
        queued += system.sendEventToClients(new EbsocketEvent("message").with("content", content));
      }
    }
    for (int i = 0; i < events.size(); i++) {
      skipFrame(senderIn);
      skipFrame(receiverIn);
    }
    return queued;
  }

  private static Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.setTcpNoDelay(true);
    socket.getOutputStream().write(HELLO);
    return socket;
  }

  private void skipFrame(DataInputStream in) throws IOException {
    int length = in.readInt();
    in.readFully(readBuffer, 0, length);
  }

  private static byte[] frame(String json) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
  }
}
