package io.ebsockets.architecture.violations.examples;

import io.ebsockets.spi.TransportProvider;
import io.ebsockets.architecture.violations.core.Cycle;

/**
 * Deliberate violations: an "example" that uses the SPI and names a transport class, and half
 * of a package cycle with {@link Cycle}.
 */
final class UsesTheSpi {
  private UsesTheSpi() {}

  static Class<?> provider() {
    return TransportProvider.class;
  }

  static String transport() throws ClassNotFoundException {
    return io.ebsockets.netty.NettyTransportProvider.class.getName();
  }

  static Object cycle() {
    return new Cycle();
  }
}
