package io.ebsockets;

import io.ebsockets.spi.TransportProvider;
import java.util.Iterator;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds the transport on the class path, once. */
final class Transports {
  private Transports() {}

  private static final class Holder {
    static final Optional<TransportProvider> FOUND = load();
  }

  static TransportProvider defaultProvider() {
    return Holder.FOUND.orElseThrow(
        () ->
            new IllegalStateException(
                "no ebsockets transport on the class path (expected: a dependency on "
                    + "io.ebsockets:ebsockets-netty, or a TransportProvider given to the builder)"));
  }

  private static Optional<TransportProvider> load() {
    Iterator<TransportProvider> found =
        ServiceLoader.load(TransportProvider.class, Transports.class.getClassLoader()).iterator();
    return found.hasNext() ? Optional.of(found.next()) : Optional.empty();
  }
}
