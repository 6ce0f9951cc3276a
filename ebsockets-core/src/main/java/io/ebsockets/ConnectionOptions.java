package io.ebsockets;

import io.ebsockets.spi.WireProtocol;
import java.time.Duration;

/**
 * The settings of one connection, the same on both sides: framing, heartbeats, timeouts and the
 * limits that keep one peer from taking the process down. Immutable; set through {@link
 * EbsocketServer.Builder} or {@link EbsocketClient.Builder}. A {@link Duration#ZERO} interval
 * or timeout means "off".
 */
public final class ConnectionOptions {
  /** The default largest payload of one frame: 1 MiB, the protocol's default. */
  public static final int DEFAULT_MAX_FRAME_LENGTH = WireProtocol.DEFAULT_MAX_FRAME_LENGTH;
  /** The default time a closing connection waits for the peer to close: 2 seconds. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(2);
  /** The default quiet time after which a ping is sent: 25 seconds. */
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(25);
  /** The default silence after which a peer is taken for dead: 60 seconds. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  /** The default time a started frame has to arrive whole: 30 seconds. */
  public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(30);
  /** The default outbound limit per connection: 4 MiB queued but not yet written. */
  public static final int DEFAULT_MAX_OUTBOUND_BYTES = 4 << 20;
  /** The default inbound allowance per connection: 1,000 events not yet pumped. */
  public static final int DEFAULT_MAX_QUEUED_EVENTS = 1_000;
  /**
   * The default write-coalescing window: 1 ms. A busy connection is written to its socket at most
   * about a thousand times a second; a quiet one at once.
   */
  public static final Duration DEFAULT_WRITE_COALESCING = Duration.ofMillis(1);
  /** The longest write-coalescing window a builder accepts: 100 ms. */
  public static final Duration MAX_WRITE_COALESCING = Duration.ofMillis(100);
  /** The default of {@link #slowConsumerTimeout()}: 5 seconds. */
  public static final Duration DEFAULT_SLOW_CONSUMER_TIMEOUT = Duration.ofSeconds(5);

  private final int maxFrameLength;
  private final Duration closeTimeout;
  private final Duration pingInterval;
  private final Duration idleTimeout;
  private final Duration frameTimeout;
  private final int maxOutboundBytes;
  private final int maxQueuedEvents;
  private final Duration writeCoalescing;
  private final int maxInboundEventsPerSecond;
  private final long maxInboundBytesPerSecond;
  private final Duration slowConsumerTimeout;

  private ConnectionOptions(Fields b) {
    this.maxFrameLength = b.maxFrameLength;
    this.closeTimeout = b.closeTimeout;
    this.pingInterval = b.pingInterval;
    this.idleTimeout = b.idleTimeout;
    this.frameTimeout = b.frameTimeout;
    this.maxOutboundBytes = b.maxOutboundBytes;
    this.maxQueuedEvents = b.maxQueuedEvents;
    this.writeCoalescing = b.writeCoalescing;
    this.maxInboundEventsPerSecond = b.maxInboundEventsPerSecond;
    this.maxInboundBytesPerSecond = b.maxInboundBytesPerSecond;
    this.slowConsumerTimeout = b.slowConsumerTimeout;
  }

  /**
   * Returns how long a peer may stay over {@link #maxOutboundBytes()} before it is closed as
   * {@code slow_consumer}: a reader that falls behind for a moment (a burst, a busy server) and
   * catches up is not dropped; one that stays behind is, and so is one at twice the limit, at
   * once.
   *
   * @return the time a peer may stay over the limit; zero closes it as soon as it is over
   */
  public Duration slowConsumerTimeout() {
    return slowConsumerTimeout;
  }

  /**
   * Returns the largest payload this side reads or writes in one frame. It is announced to the
   * peer in {@code ebsockets.hello}/{@code ebsockets.welcome}; sends are also refused above the
   * peer's announced maximum.
   *
   * @return bytes, not counting the 4-byte length prefix
   */
  public int maxFrameLength() {
    return maxFrameLength;
  }

  /**
   * Returns how long a closing connection waits, after its farewell frame and the shutdown of
   * its output, for the peer to close before the socket is closed regardless.
   *
   * @return the close timeout
   */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /**
   * Returns how long a connection may receive nothing before this side sends {@code
   * ebsockets.ping}.
   *
   * @return the ping interval, or zero for no pings
   */
  public Duration pingInterval() {
    return pingInterval;
  }

  /**
   * Returns how long a connection may receive nothing before it is closed with {@link
   * CloseReason#IDLE_TIMEOUT}. Time while this side paused reading does not count.
   *
   * @return the idle timeout, or zero for none
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * Returns how long a frame may take to arrive once its first byte has: a peer that trickles a
   * frame slower is closed with {@link CloseReason#PROTOCOL_ERROR} ({@code frame_timeout}).
   *
   * @return the frame timeout, or zero for none
   */
  public Duration frameTimeout() {
    return frameTimeout;
  }

  /**
   * Returns how many bytes may be queued for a connection but not yet written to its socket; a
   * peer that reads too slowly to stay under it is closed with {@link CloseReason#SLOW_CONSUMER}.
   *
   * @return the outbound limit in bytes
   */
  public int maxOutboundBytes() {
    return maxOutboundBytes;
  }

  /**
   * Returns how many events received on one connection may wait to be pumped before the
   * connection stops being read; reading resumes once the pump has taken it below half.
   *
   * @return the inbound allowance per connection
   */
  public int maxQueuedEvents() {
    return maxQueuedEvents;
  }

  /**
   * Returns how long writes to a busy connection may be held so that they leave in fewer, larger
   * socket writes: a connection flushed less than this long ago is flushed when the window ends;
   * one that was not is flushed on the next pass of its event loop.
   *
   * @return the write-coalescing window; zero flushes on every pass
   */
  public Duration writeCoalescing() {
    return writeCoalescing;
  }

  /**
   * Returns how many events a second the peer may send, on average, before its reads are paused.
   *
   * @return events per second; 0 if there is no such limit (the default)
   */
  public int maxInboundEventsPerSecond() {
    return maxInboundEventsPerSecond;
  }

  /**
   * Returns how many bytes of frames a second the peer may send, on average, before its reads
   * are paused.
   *
   * @return bytes per second; 0 if there is no such limit (the default)
   */
  public long maxInboundBytesPerSecond() {
    return maxInboundBytesPerSecond;
  }

  @Override
  public String toString() {
    return "ConnectionOptions{maxFrameLength=" + maxFrameLength
        + ", closeTimeout=" + closeTimeout
        + ", pingInterval=" + pingInterval
        + ", idleTimeout=" + idleTimeout
        + ", frameTimeout=" + frameTimeout
        + ", maxOutboundBytes=" + maxOutboundBytes
        + ", maxQueuedEvents=" + maxQueuedEvents
        + ", writeCoalescing=" + writeCoalescing
        + ", maxInboundEventsPerSecond=" + maxInboundEventsPerSecond
        + ", maxInboundBytesPerSecond=" + maxInboundBytesPerSecond
        + ", slowConsumerTimeout=" + slowConsumerTimeout
        + '}';
  }

  /**
   * Returns the options a connection has when nothing is set: every default of this class.
   *
   * @return the defaults
   */
  public static ConnectionOptions defaults() {
    return builder().build();
  }

  /**
   * Starts a builder of connection options on their own, e.g. for a transport's tests or a tool
   * that inspects them; servers and clients take the same setters on their own builders.
   *
   * @return a builder with every option at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link ConnectionOptions}. Every setter validates its argument; {@link #build()} checks
   * combinations.
   */
  public static final class Builder extends ConnectionSettingsBuilder<Builder> {
    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Sets the inbound allowance of the connection: events received but not yet handed out.
     *
     * @param maxQueuedEvents greater than zero; default {@value #DEFAULT_MAX_QUEUED_EVENTS}
     * @return this builder
     */
    public Builder maxQueuedEvents(int maxQueuedEvents) {
      connection.maxQueuedEvents = Checks.positive(maxQueuedEvents, "maxQueuedEvents");
      return this;
    }

    /**
     * Creates the options.
     *
     * @return the options
     * @throws IllegalArgumentException if options contradict each other
     */
    public ConnectionOptions build() {
      return connection.build();
    }
  }

  /** Collects per-connection settings for the server and client builders. */
  static final class Fields {
    int maxFrameLength = DEFAULT_MAX_FRAME_LENGTH;
    Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    Duration pingInterval = DEFAULT_PING_INTERVAL;
    Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    Duration frameTimeout = DEFAULT_FRAME_TIMEOUT;
    int maxOutboundBytes = DEFAULT_MAX_OUTBOUND_BYTES;
    int maxQueuedEvents = DEFAULT_MAX_QUEUED_EVENTS;
    Duration writeCoalescing = DEFAULT_WRITE_COALESCING;
    int maxInboundEventsPerSecond;
    long maxInboundBytesPerSecond;
    Duration slowConsumerTimeout = DEFAULT_SLOW_CONSUMER_TIMEOUT;

    ConnectionOptions build() {
      if (maxOutboundBytes < maxFrameLength) {
        throw new IllegalArgumentException(
            "maxOutboundBytes: " + maxOutboundBytes
                + " (expected: >= maxFrameLength " + maxFrameLength
                + ", or a largest frame could never be sent)");
      }
      if (!idleTimeout.isZero() && !pingInterval.isZero() && pingInterval.compareTo(idleTimeout) >= 0) {
        throw new IllegalArgumentException(
            "pingInterval: " + pingInterval
                + " (expected: < idleTimeout " + idleTimeout
                + ", or the peer is never asked for a sign of life before it is dropped)");
      }
      return new ConnectionOptions(this);
    }
  }
}
