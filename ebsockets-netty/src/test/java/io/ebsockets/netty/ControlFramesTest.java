package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.CloseReason;
import io.ebsockets.CloseStatus;
import io.ebsockets.ConnectionOptions;
import io.ebsockets.testsupport.WireClient;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who may send which control frame, and what a small announced max frame length means for the
 * frames this side sends back (docs/PROTOCOL.md, "Control events").
 */
class ControlFramesTest {
  private final TestConnections.CountingSink sink = new TestConnections.CountingSink();

  private NettyConnection connect(EmbeddedChannel channel, boolean client) {
    NettyConnection connection =
        TestConnections.open(channel, ConnectionOptions.defaults(), client, sink);
    channel.pipeline().fireChannelActive();
    flush(channel);
    return connection;
  }

  private static void write(EmbeddedChannel channel, String payload) {
    channel.writeInbound(Unpooled.wrappedBuffer(WireClient.frame(payload)));
    flush(channel);
  }

  private static void flush(EmbeddedChannel channel) {
    channel.runPendingTasks();
    channel.runScheduledPendingTasks();
    channel.runPendingTasks();
  }

  private static String errorCode(NettyConnection connection) {
    return connection.closeStatus().map(CloseStatus::message).orElse("(open)");
  }

  @Test
  void aClientThatSendsAWelcomeIsNotBelieved() {
    EmbeddedChannel channel = new EmbeddedChannel();
    NettyConnection server = connect(channel, false);
    write(channel, "{\"type\":\"ebsockets.welcome\",\"data\":{\"version\":1,\"maxFrameLength\":4096}}");

    List<String> sent = OutboundFrames.payloads(channel);
    assertThat(sent).singleElement().asString()
        .contains("\"type\":\"ebsockets.error\"")
        .contains("\"code\":\"unexpected_control\"")
        .contains("a client sends no ebsockets.welcome");
    assertThat(server.closeStatus()).map(CloseStatus::reason).contains(CloseReason.PROTOCOL_ERROR);
    assertThat(server.peerMaxFrameLength()).isEqualTo(1 << 20);
    channel.finishAndReleaseAll();
  }

  @Test
  void aSecondHelloOrAHelloAfterAnEventIsOutOfTurn() {
    EmbeddedChannel twice = new EmbeddedChannel();
    NettyConnection first = connect(twice, false);
    write(twice, "{\"type\":\"ebsockets.hello\",\"data\":{\"version\":1}}");
    write(twice, "{\"type\":\"ebsockets.hello\",\"data\":{\"version\":1}}");
    assertThat(OutboundFrames.types(twice)).isEqualTo("ebsockets.welcome ebsockets.error");
    assertThat(errorCode(first)).startsWith("unexpected_control: ebsockets.hello after the first");
    twice.finishAndReleaseAll();

    EmbeddedChannel late = new EmbeddedChannel();
    NettyConnection second = connect(late, false);
    write(late, "{\"type\":\"chat\"}");
    write(late, "{\"type\":\"ebsockets.hello\",\"data\":{\"version\":1}}");
    assertThat(OutboundFrames.types(late)).isEqualTo("ebsockets.error");
    assertThat(errorCode(second)).startsWith("unexpected_control:");
    assertThat(sink.events).isEqualTo(1);
    late.finishAndReleaseAll();
  }

  @Test
  void aServerThatSendsAHelloOrTwoWelcomesIsRefusedByTheClient() {
    EmbeddedChannel hello = new EmbeddedChannel();
    NettyConnection client = connect(hello, true);
    assertThat(OutboundFrames.types(hello)).isEqualTo("ebsockets.hello");
    write(hello, "{\"type\":\"ebsockets.hello\",\"data\":{\"version\":1}}");
    assertThat(OutboundFrames.types(hello)).isEqualTo("ebsockets.error");
    assertThat(errorCode(client)).startsWith("unexpected_control: a server sends no ebsockets.hello");
    assertThat(client.welcomed()).isCompletedExceptionally();
    hello.finishAndReleaseAll();

    EmbeddedChannel twice = new EmbeddedChannel();
    NettyConnection other = connect(twice, true);
    String welcome = "{\"type\":\"ebsockets.welcome\",\"data\":{\"version\":1,\"maxFrameLength\":2048}}";
    write(twice, welcome);
    assertThat(other.welcomed()).isCompleted();
    assertThat(other.peerMaxFrameLength()).isEqualTo(2048);
    write(twice, welcome);
    assertThat(OutboundFrames.types(twice)).isEqualTo("ebsockets.hello ebsockets.error");
    assertThat(errorCode(other)).startsWith("unexpected_control: a second ebsockets.welcome");
    twice.finishAndReleaseAll();
  }

  @Test
  void aHelloThatAnnouncesLessThanTheMinimumIsRefusedWithAReason() {
    EmbeddedChannel channel = new EmbeddedChannel();
    NettyConnection server = connect(channel, false);
    write(channel, "{\"type\":\"ebsockets.hello\",\"data\":{\"version\":1,\"maxFrameLength\":10}}");

    assertThat(OutboundFrames.payloads(channel)).singleElement().asString()
        .contains("\"code\":\"invalid_data\"")
        .contains("ebsockets.hello announces maxFrameLength 10 (expected: at least 1024)");
    assertThat(server.closeStatus()).map(CloseStatus::reason).contains(CloseReason.PROTOCOL_ERROR);
    channel.finishAndReleaseAll();
  }

  @Test
  void everyFrameSentToAPeerThatAnnouncedTheMinimumFitsIt() {
    EmbeddedChannel channel = new EmbeddedChannel();
    NettyConnection server = connect(channel, false);
    write(channel, "{\"type\":\"ebsockets.hello\",\"data\":{\"version\":1,\"maxFrameLength\":1024}}");
    String big = "x".repeat(1500);
    write(channel, "{\"type\":\"ebsockets.ping\",\"data\":{\"pad\":\"" + big + "\"}}");
    server.close(CloseReason.KICKED, "\u00e9\n".repeat(1000)); // escapes and two-byte chars
    flush(channel);

    List<String> sent = OutboundFrames.payloads(channel);
    assertThat(sent).extracting(p -> p.substring(0, 24))
        .containsExactly(
            "{\"type\":\"ebsockets.welco", "{\"type\":\"ebsockets.pong\"", "{\"type\":\"ebsockets.close");
    assertThat(sent).allSatisfy(p -> assertThat(p.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .hasSizeLessThanOrEqualTo(1024));
    assertThat(sent.get(1)).as("the echo would not fit: a bare pong").doesNotContain("pad");
    assertThat(sent.get(2)).contains("kicked").contains("\u2026\"");
    assertThat(server.closeStatus()).map(CloseStatus::message).get().asString()
        .as("the application keeps the whole message").hasSize(2000);
    channel.finishAndReleaseAll();
  }
}
