package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The messages a bad payload gets are written for whoever writes a client: they say what was
 * wrong and where, in the protocol's terms, never in the parser's; and a peer's text in them is
 * escaped, so that it cannot forge a log line.
 */
class ErrorTextsTest {
  private static ProtocolException refused(String payload) {
    return catchThrowableOfType(
        ProtocolException.class,
        () -> EventCodec.decode(Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void aWhitespacePayloadIsCalledWhatItIs() {
    ProtocolException e = refused(" \n\t ");
    assertThat(e.code()).isEqualTo(ProtocolError.NOT_AN_OBJECT);
    assertThat(e.getMessage()).isEqualTo("payload is only whitespace (expected: a JSON object)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"a\",\"data\":{\"x\":[1,2",
        "{\"type\":\"a\",\"data\":",
        "{\"type\":\"a\" \"data\":{}}",
        "{\"type\":\"a\",\"data\":{\"x\":tru}}",
      })
  void jsonErrorsSayWhereWithoutTheParsersInternals(String payload) {
    ProtocolException e = refused(payload);
    assertThat(e.code()).isEqualTo(ProtocolError.INVALID_JSON);
    assertThat(e.getMessage())
        .startsWith("payload is not valid JSON at line 1, column ")
        .doesNotContain("Source", "REDACTED", "StreamRead", "`", "\n");
  }

  @Test
  void tooDeepSaysHowDeepWithoutNamingTheParsersLimit() {
    ProtocolException e =
        refused("{\"type\":\"a\",\"data\":{\"x\":" + "[".repeat(70) + "]".repeat(70) + "}}");
    assertThat(e.getMessage())
        .contains("nesting depth (65) exceeds the maximum allowed (64)")
        .doesNotContain("StreamReadConstraints", "`");
  }

  @Test
  void aPeersKeyInAMessageCannotStartALineOfItsOwn() {
    String forged = "x\\n2026-12-01 00:00:00 WARN  io.ebsockets - fake\\r\\u0007";
    ProtocolException e =
        refused("{\"type\":\"a\",\"data\":{\"" + forged + "\":1,\"" + forged + "\":2}}");
    assertThat(e.code()).isEqualTo(ProtocolError.DUPLICATE_KEY);
    assertThat(e.getMessage()).doesNotContain("\n", "\r", "\u0007").contains("x\\n2026-12-01");
  }

  @Test
  void logLinesEscapeEveryControlCharacter() {
    assertThat(Failures.printable("a\nb\rc\td\u0000e\u2028f\u001b[31m"))
        .isEqualTo("a\\nb\\rc\\td\\u0000e\\u2028f\\u001b[31m");
    assertThat(Failures.printable("plain text, é ✓")).isEqualTo("plain text, é ✓");
  }
}
