package io.ebsockets.netty;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The client a trusted proxy names in {@code X-Forwarded-For} (a WebSocket door's {@code
 * withTrustedProxies}): the rightmost address of the header, over all its lines, that is not one
 * of the trusted proxies. Entries to its left could have been written by anyone; the proxies
 * append what they saw. Only IP literals count: a malformed entry ends the walk there.
 */
final class ForwardedFor {
  private ForwardedFor() {}

  /**
   * Returns the client, if {@code peer} is a trusted proxy and the header names one.
   *
   * @param peer the TCP peer of the upgrade request
   * @param headers the upgrade request's headers
   * @param trusted the trusted proxies, normalised IP literals
   */
  static Optional<InetSocketAddress> client(
      InetSocketAddress peer, HttpHeaders headers, List<String> trusted) {
    if (peer == null || peer.getAddress() == null
        || !trusted.contains(peer.getAddress().getHostAddress())) {
      return Optional.empty();
    }
    List<String> hops = new ArrayList<>();
    for (String line : headers.getAll("X-Forwarded-For")) {
      for (String hop : line.split(",")) {
        hops.add(hop.trim());
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> address = ipLiteral(hops.get(i));
      if (address.isEmpty()) {
        return Optional.empty();
      }
      if (!trusted.contains(address.get().getHostAddress())) {
        return Optional.of(new InetSocketAddress(address.get(), 0));
      }
    }
    return Optional.empty();
  }

  /**
   * An IP literal, parsed without asking DNS; empty for anything else. Also what a PROXY
   * protocol header's address is read with ({@link ProxyHeader}).
   */
  static Optional<InetAddress> ipLiteral(String hop) {
    if (!hop.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(hop));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
