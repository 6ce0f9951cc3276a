package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What Netty's WebSocket errors become, and the close frame's reason. */
class WebSocketFramingTest {

  private static ProtocolError code(Throwable netty) {
    Throwable translated = WebSocketFraming.translate(netty);
    assertThat(translated).isInstanceOf(ProtocolException.class);
    return ((ProtocolException) translated).code();
  }

  @Test
  void nettysWebSocketErrorsBecomeTheProtocolsCodes() {
    assertThat(code(new CorruptedWebSocketFrameException(
        WebSocketCloseStatus.MESSAGE_TOO_BIG, "Max frame length of 4096 has been exceeded.")))
        .isEqualTo(ProtocolError.FRAME_TOO_LONG);
    assertThat(code(new CorruptedWebSocketFrameException(
        WebSocketCloseStatus.INVALID_PAYLOAD_DATA, "bytes are not UTF-8")))
        .isEqualTo(ProtocolError.INVALID_UTF8);
    assertThat(code(new CorruptedWebSocketFrameException(
        WebSocketCloseStatus.PROTOCOL_ERROR, "RSV != 0 and no extension negotiated")))
        .isEqualTo(ProtocolError.INVALID_WEBSOCKET_FRAME);
    assertThat(code(new TooLongFrameException("content length exceeded 4096 bytes.")))
        .isEqualTo(ProtocolError.FRAME_TOO_LONG);
    assertThat(code(new DecoderException(
        new DecompressionException("Decompression buffer has reached maximum size: 65536"))))
        .isEqualTo(ProtocolError.FRAME_TOO_LONG);
    IOException io = new IOException("Connection reset by peer");
    assertThat(WebSocketFraming.translate(io)).isSameAs(io);
  }

  @Test
  void aCloseReasonIsCutTo123BytesOnACharacterBoundary() {
    assertThat(WebSocketFraming.closeReason("short")).isEqualTo("short");
    String ascii = "x".repeat(200);
    assertThat(WebSocketFraming.closeReason(ascii)).hasSize(123);
    String wide = "é".repeat(100); // two bytes each: 61 whole characters fit, not 61.5
    assertThat(WebSocketFraming.closeReason(wide)).isEqualTo("é".repeat(61));
  }
}
