package io.ebsockets.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Installs {@link BlockingCallCheck} when the JUnit Platform starts in a test JVM, before any
 * test class is loaded. Registered through {@code META-INF/services}.
 */
public final class InstallBlockHound implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    BlockingCallCheck.install();
  }
}
