package io.ebsockets.netty;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many connections each IP address holds, against a limit ({@code
 * maxConnectionsPerAddress}); an address is forgotten with its last connection.
 *
 * <p><b>Threads.</b> Any; each call is one atomic update of the address's count.
 */
final class ConnectionsPerAddress {
  private final int limit;
  private final ConcurrentHashMap<InetAddress, Integer> counts = new ConcurrentHashMap<>();

  ConnectionsPerAddress(int limit) {
    this.limit = limit;
  }

  /** Counts one more connection from {@code address}, unless it holds the limit already. */
  boolean admit(InetAddress address) {
    boolean[] admitted = {false};
    counts.compute(address, (a, n) -> {
      int held = n == null ? 0 : n;
      if (held >= limit) {
        return n;
      }
      admitted[0] = true;
      return held + 1;
    });
    return admitted[0];
  }

  /** A connection from {@code address} that {@link #admit} counted has ended. */
  void release(InetAddress address) {
    counts.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }
}
