package io.ebsockets.testsupport;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/**
 * A Logback appender that keeps Netty's leak reports. Netty only logs a leak; {@link
 * RuntimeChecksExtension} turns each recorded report into a test failure.
 */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {
  private static final List<String> REPORTS = new ArrayList<>();

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getFormattedMessage().contains("LEAK:")) {
      synchronized (REPORTS) {
        REPORTS.add(event.getFormattedMessage());
      }
    }
  }

  /** Returns and forgets the reports recorded so far. */
  public static List<String> drain() {
    synchronized (REPORTS) {
      List<String> copy = new ArrayList<>(REPORTS);
      REPORTS.clear();
      return copy;
    }
  }
}
