package io.ebsockets.spi;

import io.ebsockets.ClientOptions;
import io.ebsockets.ServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * Makes servers and client connections for the facades. {@link io.ebsockets.EbsocketServer} and
 * {@link io.ebsockets.EbsocketClient} find an implementation with {@link java.util.ServiceLoader}
 * unless one is given to their builders.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface TransportProvider {

  /**
   * Starts listening.
   *
   * @param options the server's settings, including the address to bind
   * @param listener told of every accepted connection, on a transport thread
   * @return the running server
   * @throws UncheckedIOException naming the address if it cannot be bound
   */
  ServerTransport bind(ServerOptions options, ConnectionListener listener);

  /**
   * Connects to a server, blocking until connected or failed.
   *
   * @param address the server's address
   * @param options the client's settings, including the connect timeout
   * @param sink receives the connection's events and its end, on a transport thread
   * @return the connected channel
   * @throws IOException naming the address if the connection cannot be made in time; {@link
   *     java.io.InterruptedIOException} if the calling thread was interrupted (its interrupt flag
   *     stays set)
   */
  ClientTransport connect(InetSocketAddress address, ClientOptions options, ChannelSink sink)
      throws IOException;

  /**
   * Connects to a server named by a URI ({@code ebs}, {@code ebss}, {@code ws}, {@code wss}),
   * blocking until connected or failed. A TLS scheme uses the options' TLS settings, or the
   * JVM's trusted certificates if they have none. The default speaks plain TCP only: it
   * connects to the URI's host and port for {@code ebs} and refuses the other schemes.
   *
   * @param uri where to connect, checked by the caller (a known scheme, a host)
   * @param options the client's settings
   * @param sink receives the connection's events and its end, on a transport thread
   * @return the connected channel
   * @throws IOException naming the URI if the connection cannot be made in time, or this
   *     transport does not speak the URI's scheme
   */
  default ClientTransport connect(java.net.URI uri, ClientOptions options, ChannelSink sink)
      throws IOException {
    if (!"ebs".equalsIgnoreCase(uri.getScheme()) || options.tls().isPresent()) {
      throw new IOException(
          "cannot connect to " + uri + ": " + getClass().getName()
              + " speaks plain TCP only (expected: an ebs:// URI)");
    }
    InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
    if (address.isUnresolved()) {
      throw new IOException("cannot connect to " + uri + ": unknown host");
    }
    return connect(address, options, sink);
  }
}
