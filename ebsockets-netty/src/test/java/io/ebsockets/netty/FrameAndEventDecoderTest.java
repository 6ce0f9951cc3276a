package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ebsockets.EbsocketEvent;
import io.ebsockets.testsupport.WireClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The inbound pipeline's decoders, driven with {@link EmbeddedChannel}. */
class FrameAndEventDecoderTest {
  static final int MAX = 1024;

  private static EmbeddedChannel decoders() {
    return new EmbeddedChannel(new FrameDecoder(MAX), JsonEventDecoder.INSTANCE);
  }

  private static EbsocketEvent event(EmbeddedChannel channel) {
    Object decoded = channel.readInbound();
    assertThat(decoded).isInstanceOf(DecodedEvent.class);
    return ((DecodedEvent) decoded).event();
  }

  private static byte[] chat(int n) {
    return WireClient.frame("{\"type\":\"message\",\"data\":{\"content\":\"hi " + n + "\"}}");
  }

  @Test
  void aFrameSplitByteByByteDecodesOnceComplete() {
    EmbeddedChannel channel = decoders();
    byte[] frame = chat(1);
    for (int i = 0; i < frame.length - 1; i++) {
      assertThat(channel.writeInbound(Unpooled.wrappedBuffer(frame, i, 1))).isFalse();
    }
    assertThat(channel.writeInbound(Unpooled.wrappedBuffer(frame, frame.length - 1, 1))).isTrue();

    assertThat(event(channel)).isEqualTo(new EbsocketEvent("message").with("content", "hi 1"));
    assertFalse(channel.finish());
  }

  @Test
  void manyFramesInOneBufferDecodeInOrder() {
    EmbeddedChannel channel = decoders();
    ByteBuf all = Unpooled.buffer();
    for (int n = 0; n < 100; n++) {
      all.writeBytes(chat(n));
    }
    channel.writeInbound(all);

    for (int n = 0; n < 100; n++) {
      assertThat(event(channel)).isEqualTo(new EbsocketEvent("message").with("content", "hi " + n));
    }
    assertFalse(channel.finish());
  }

  @Test
  void controlTypesBecomeControlFramesAndAbsentOrNullDataIsEmpty() {
    EmbeddedChannel channel = decoders();
    channel.writeInbound(
        Unpooled.wrappedBuffer(WireClient.frame("{\"type\":\"ebsockets.ping\",\"data\":{\"t\":1}}")));
    channel.writeInbound(Unpooled.wrappedBuffer(WireClient.frame("{\"type\":\"bare\"}")));
    channel.writeInbound(
        Unpooled.wrappedBuffer(WireClient.frame("{\"data\":null,\"type\":\"nulled\",\"v\":[1]}")));

    assertThat(channel.<Object>readInbound())
        .isEqualTo(new ControlFrame(ControlFrame.PING, Map.of("t", 1)));
    assertThat(event(channel)).isEqualTo(new EbsocketEvent("bare"));
    assertThat(event(channel)).isEqualTo(new EbsocketEvent("nulled"));
    assertFalse(channel.finish());
  }

  /** Every kind of bad frame, with the code it must get; the maximum frame length is {@value #MAX}. */
  static Stream<Arguments> badFrames() {
    return Stream.of(
        Arguments.of(
            "a lone high surrogate in a value",
            WireClient.frame("{\"type\":\"m\",\"data\":{\"c\":\"a\\ud800b\"}}"),
            ProtocolError.INVALID_JSON),
        Arguments.of(
            "a lone low surrogate in a key",
            WireClient.frame("{\"type\":\"m\",\"data\":{\"\\udc00\":1}}"),
            ProtocolError.INVALID_JSON),
        Arguments.of(
            "a lone surrogate in the type",
            WireClient.frame("{\"type\":\"m\\ud800\"}"),
            ProtocolError.INVALID_JSON),
        Arguments.of("zero length", new byte[] {0, 0, 0, 0}, ProtocolError.EMPTY_FRAME),
        Arguments.of(
            "longer than the maximum",
            new byte[] {0, 0, 4, 1, '{'},
            ProtocolError.FRAME_TOO_LONG),
        Arguments.of(
            "HTTP request",
            "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            ProtocolError.FRAME_TOO_LONG),
        Arguments.of(
            "TLS ClientHello",
            new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03},
            ProtocolError.FRAME_TOO_LONG),
        Arguments.of(
            "not UTF-8",
            WireClient.frame(new byte[] {'{', '"', (byte) 0xC3, 0x28, '"', '}'}),
            ProtocolError.INVALID_UTF8),
        Arguments.of(
            "overlong UTF-8",
            WireClient.frame(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"'}),
            ProtocolError.INVALID_UTF8),
        Arguments.of(
            "UTF-16",
            WireClient.frame("{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_16LE)),
            ProtocolError.INVALID_JSON),
        frame("not JSON", "{type: message}", ProtocolError.INVALID_JSON),
        frame("truncated JSON", "{\"type\":\"message\"", ProtocolError.INVALID_JSON),
        frame("an array", "[1,2]", ProtocolError.NOT_AN_OBJECT),
        frame("a string", "\"message\"", ProtocolError.NOT_AN_OBJECT),
        frame("type missing", "{\"data\":{}}", ProtocolError.MISSING_TYPE),
        frame("type a number", "{\"type\":7}", ProtocolError.INVALID_TYPE),
        frame("type an object", "{\"type\":{\"a\":1}}", ProtocolError.INVALID_TYPE),
        frame("type empty", "{\"type\":\"\"}", ProtocolError.INVALID_TYPE),
        frame("data a list", "{\"type\":\"t\",\"data\":[1]}", ProtocolError.INVALID_DATA),
        frame("data a string", "{\"type\":\"t\",\"data\":\"x\"}", ProtocolError.INVALID_DATA),
        frame("number overflows", "{\"type\":\"t\",\"data\":{\"n\":1e999}}", ProtocolError.INVALID_DATA),
        frame("request id zero", "{\"type\":\"t\",\"ebsockets.request\":0}", ProtocolError.INVALID_REQUEST_ID),
        frame("request id a string", "{\"type\":\"t\",\"ebsockets.request\":\"7\"}", ProtocolError.INVALID_REQUEST_ID),
        frame("request id a fraction", "{\"type\":\"t\",\"ebsockets.request\":1.5}", ProtocolError.INVALID_REQUEST_ID),
        frame("reply id over 2^53-1", "{\"type\":\"t\",\"ebsockets.reply\":9007199254740992}", ProtocolError.INVALID_REQUEST_ID),
        frame("reply id huge", "{\"type\":\"t\",\"ebsockets.reply\":123456789012345678901234567890}", ProtocolError.INVALID_REQUEST_ID),
        frame("duplicate top-level key", "{\"type\":\"a\",\"type\":\"b\"}", ProtocolError.DUPLICATE_KEY),
        frame(
            "duplicate data key",
            "{\"type\":\"t\",\"data\":{\"k\":1,\"k\":2}}",
            ProtocolError.DUPLICATE_KEY),
        frame(
            "duplicate key in an ignored member",
            "{\"type\":\"t\",\"extra\":{\"k\":1,\"k\":2}}",
            ProtocolError.DUPLICATE_KEY),
        frame("trailing bytes", "{\"type\":\"t\"} x", ProtocolError.TRAILING_DATA),
        frame("two objects", "{\"type\":\"t\"}{\"type\":\"t\"}", ProtocolError.TRAILING_DATA),
        frame(
            "nested too deep",
            "{\"type\":\"t\",\"data\":{\"d\":" + "[".repeat(70) + "]".repeat(70) + "}}",
            ProtocolError.INVALID_JSON));
  }

  private static Arguments frame(String name, String json, ProtocolError code) {
    return Arguments.of(name, WireClient.frame(json), code);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFrames")
  void eachBadFrameFailsWithItsCodeAndAMessage(String name, byte[] bytes, ProtocolError code) {
    EmbeddedChannel channel = decoders();

    assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(bytes)))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).contains("expected");
            });
    // Closing decodes what is left once more, which fails the same way (the real pipeline
    // discards input once closing); anything else would be a bug.
    Throwable again = catchThrowable(channel::finishAndReleaseAll);
    if (again != null) {
      assertThat(again).isInstanceOf(ProtocolException.class);
    }
  }

  @Test
  void aSurrogatePairIsOneCharacterAndIsKept() {
    EmbeddedChannel channel = decoders();
    channel.writeInbound(Unpooled.wrappedBuffer(
        WireClient.frame("{\"type\":\"m\",\"data\":{\"c\":\"\\ud83d\\ude00\"}}")));
    assertThat(event(channel).getString("c")).isEqualTo("\uD83D\uDE00");
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void theDecodedDataIsAlreadyWhatAnEventHoldsUnmodifiableAndNormalised() {
    EmbeddedChannel channel = decoders();
    channel.writeInbound(Unpooled.wrappedBuffer(WireClient.frame(
        "{\"type\":\"t\",\"data\":{\"list\":[1,2.5,{\"b\":null}],\"big\":5000000000}}")));
    DecodedEvent decoded = channel.readInbound();

    Map<String, Object> data = decoded.data();
    assertThat(data.get("big")).isEqualTo(5_000_000_000L);
    List<?> list = (List<?>) data.get("list");
    assertThat(list.get(0)).isEqualTo(1);
    assertThat(list.get(1)).isEqualTo(2.5);
    assertThatThrownBy(() -> data.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((Map<?, ?>) list.get(2)).clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(new EbsocketEvent("t", data).data()).isEqualTo(data);
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void aDecodedEventCarriesItsFrameSize() {
    EmbeddedChannel channel = decoders();
    byte[] frame = chat(7);
    channel.writeInbound(Unpooled.wrappedBuffer(frame));

    assertThat(((DecodedEvent) channel.readInbound()).frameBytes()).isEqualTo(frame.length - 4);
    assertFalse(channel.finish());
  }

  @Test
  void requestAndReplyIdsAreReadAndWrittenAsTheReservedMembers() {
    EmbeddedChannel channel = decoders();
    String json = "{\"type\":\"q\",\"data\":{},\"ebsockets.request\":9007199254740991,"
        + "\"ebsockets.reply\":3}";
    channel.writeInbound(Unpooled.wrappedBuffer(WireClient.frame(json)));
    DecodedEvent decoded = channel.readInbound();
    assertThat(decoded.requestId()).isEqualTo(EventCodec.MAX_REQUEST_ID);
    assertThat(decoded.replyTo()).isEqualTo(3);
    assertFalse(channel.finish());

    ByteBuf frame =
        EventCodec.encode(
            Unpooled.buffer().alloc(), new EbsocketEvent("q"), 5, 6, MAX, "the max frame length");
    try {
      frame.skipBytes(4);
      assertThat(frame.toString(StandardCharsets.UTF_8))
          .isEqualTo("{\"type\":\"q\",\"data\":{},\"ebsockets.request\":5,\"ebsockets.reply\":6}");
    } finally {
      frame.release();
    }
  }

  @Test
  void aDeclaredLengthIsNotAllocatedBeforeItsBytesArrive() {
    int sixteenMiB = 16 << 20;
    EmbeddedChannel channel =
        new EmbeddedChannel(new FrameDecoder(sixteenMiB), JsonEventDecoder.INSTANCE);
    channel.writeInbound(Unpooled.buffer(4).writeInt(sixteenMiB));
    channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'{', '"'}));

    FrameDecoder frames = channel.pipeline().get(FrameDecoder.class);
    assertThat(frames.bufferedCapacity()).isLessThan(64 * 1024);
    assertThat(channel.<Object>readInbound()).isNull();
    assertThat(channel.finish()).isFalse();
  }

  @Test
  void encodedEventsDecodeToEqualEvents() {
    EmbeddedChannel channel = decoders();
    List<EbsocketEvent> events =
        List.of(
            new EbsocketEvent("empty"),
            new EbsocketEvent("message").with("content", "héllo 👋"),
            new EbsocketEvent("nested").with("m", Map.of("l", List.of(1, 2.5, true, "x"))));
    for (EbsocketEvent event : events) {
      channel.writeInbound(EventCodec.encode(channel.alloc(), event, MAX));
    }
    for (EbsocketEvent event : events) {
      assertThat(event(channel)).isEqualTo(event);
    }
    assertFalse(channel.finish());
  }

  @Test
  void anEncodedFrameIsTheLengthThenTheJson() {
    ByteBuf frame =
        EventCodec.encode(
            Unpooled.buffer().alloc(), new EbsocketEvent("message").with("content", "hi"), MAX);
    try {
      String json = "{\"type\":\"message\",\"data\":{\"content\":\"hi\"}}";
      assertThat(frame.readInt()).isEqualTo(json.length());
      assertThat(frame.toString(StandardCharsets.UTF_8)).isEqualTo(json);
    } finally {
      frame.release();
    }
  }

  @Test
  void encodingMoreThanTheMaxFrameLengthFailsAndReleasesTheBuffer() {
    EbsocketEvent big = new EbsocketEvent("big").with("content", "x".repeat(20_000));

    assertThatThrownBy(() -> EventCodec.encode(io.netty.buffer.ByteBufAllocator.DEFAULT, big, MAX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event big")
        .hasMessageContaining("max frame length 1024");
    // The leak detector (paranoid in tests) fails this test if the buffer was not released.
  }
}
