package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ebsockets.CloseReason;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a failure means, and what it costs the log: a scanner that opens thousands of connections
 * gets ten INFO lines in ten seconds, then one line that says how many more there were.
 */
class FailuresTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(NettyConnection.class);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final AtomicLong now = new AtomicLong();
  private final Failures failures = new Failures(now::get);

  @BeforeEach
  void capture() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void release() {
    logger.detachAppender(logs);
  }

  private List<String> infoLines() {
    return logs.list.stream()
        .filter(e -> e.getLevel() == Level.INFO)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void protocolErrorsAreLoggedTenAtATimeThenCounted() {
    for (int i = 0; i < 30; i++) {
      Failures.Verdict verdict =
          failures.judge("connection #" + i,
              new ProtocolException(ProtocolError.FRAME_TOO_LONG, "frame length " + i));
      assertThat(verdict.status().reason()).isEqualTo(CloseReason.PROTOCOL_ERROR);
      assertThat(verdict.farewellOrNull()).isNotNull();
    }
    assertThat(infoLines()).hasSize(Failures.LOGGED_PER_WINDOW);

    now.addAndGet(TimeUnit.SECONDS.toNanos(10));
    failures.judge("connection #30", new ProtocolException(ProtocolError.EMPTY_FRAME, "length 0"));
    assertThat(infoLines()).hasSize(Failures.LOGGED_PER_WINDOW + 1);
    assertThat(infoLines().get(Failures.LOGGED_PER_WINDOW))
        .isEqualTo("connection #30: closing: protocol error empty_frame: length 0"
            + " (20 more such closes were logged at DEBUG only)");
  }

  @Test
  void aPeersTextInALogLineIsEscaped() {
    failures.judge("connection #1",
        new ProtocolException(ProtocolError.INVALID_TYPE, "type\n12:00:00 WARN forged"));
    assertThat(infoLines()).singleElement().asString()
        .doesNotContain("\n")
        .endsWith("type\\n12:00:00 WARN forged");
  }

  @Test
  void aBrokenSocketIsNotToldAnythingAndNotLoggedAtInfo() {
    Failures.Verdict verdict =
        failures.judge("connection #1", new java.io.IOException("Connection reset by peer"));
    assertThat(verdict.farewellOrNull()).isNull();
    assertThat(verdict.status().reason()).isEqualTo(CloseReason.IO_ERROR);
    assertThat(infoLines()).isEmpty();
  }

  @Test
  void aConnectionClosedForMemoryIsToldWhyRatherThanReset() {
    Failures.Verdict verdict =
        failures.judge("connection #1", new OutOfMemoryError("Cannot reserve 65536 bytes"));
    assertThat(verdict.status().reason()).isEqualTo(CloseReason.IO_ERROR);
    assertThat(verdict.farewellOrNull()).isNotNull();
    assertThat(verdict.farewellOrNull().type()).isEqualTo(ControlFrame.CLOSE);
    assertThat(verdict.farewellOrNull().data())
        .containsEntry("reason", ControlFrame.OUT_OF_MEMORY);
    assertThat(infoLines()).singleElement().asString()
        .endsWith("closing: out of memory: Cannot reserve 65536 bytes");
  }
}
