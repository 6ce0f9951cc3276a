package io.ebsockets;

import io.ebsockets.spi.ChannelSink;
import io.ebsockets.spi.TransportChannel;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A client connected to an {@link EbsocketServer}: the handle that {@link EbsocketSystem#pump()}
 * reports and that {@link EbsocketSystem#sendEventTo} takes. Safe to use from any thread.
 */
public final class EbsocketConnection {
  private final TransportChannel channel;
  final Backpressure.Account account;

  EbsocketConnection(TransportChannel channel, Backpressure backpressure) {
    this.channel = channel;
    this.account = backpressure.account(channel);
  }

  TransportChannel channel() {
    return channel;
  }

  /**
   * Returns this connection's id.
   *
   * @return an id unique among the connections of one server, in the order they were accepted
   */
  public long id() {
    return channel.id();
  }

  /**
   * Returns the client's address.
   *
   * @return the remote address
   */
  public InetSocketAddress remoteAddress() {
    return channel.remoteAddress();
  }

  /**
   * Tells whether events can still be sent to this client.
   *
   * @return false as soon as the connection is closing or closed
   */
  public boolean isOpen() {
    return channel.isOpen();
  }

  /**
   * Returns why the connection ended.
   *
   * @return the reason and message, or empty while the connection is open
   */
  public Optional<CloseStatus> closeReason() {
    return channel.closeStatus();
  }

  /**
   * Closes the connection ({@link CloseReason#KICKED}): what was already sent is written first,
   * then the client is told the reason. Returns at once; the connection appears in {@link
   * PumpResult#disconnectedClients()} once it has closed. Idempotent.
   */
  public void close() {
    close("");
  }

  /**
   * Closes the connection ({@link CloseReason#KICKED}) and tells the client why.
   *
   * @param message a human-readable explanation the client receives
   * @see #close()
   */
  public void close(String message) {
    channel.close(CloseReason.KICKED, Objects.requireNonNull(message, "message"));
  }

  /** Returns e.g. {@code EbsocketConnection#3(/127.0.0.1:51234)}. */
  @Override
  public String toString() {
    return "EbsocketConnection#" + id() + "(" + remoteAddress() + ")";
  }

  /** Queues a connection's events and its end into the server's inbox, on a transport thread. */
  static final class Sink implements ChannelSink {
    private final EbsocketConnection connection;
    private final EbsocketServer server;

    Sink(EbsocketConnection connection, EbsocketServer server) {
      this.connection = connection;
      this.server = server;
    }

    @Override
    public boolean received(EbsocketEvent event, int frameBytes) {
      server.inbox().offer(event.received(connection, frameBytes));
      return server.backpressure().received(connection.account, frameBytes);
    }

    @Override
    public boolean readyToResume() {
      return server.backpressure().readyToResume(connection.account);
    }

    @Override
    public void closed(CloseStatus status) {
      server.backpressure().forget(connection.account);
      server.disconnected(connection);
    }
  }
}
