package io.ebsockets;

import java.time.Duration;

/**
 * How a client reconnects after an unexpected disconnect: immutable, made by {@link #builder()}
 * or {@link #defaults()}, switched on with {@link EbsocketClient.Builder#reconnect}.
 *
 * <pre>{@code
 * EbsocketClient client = EbsocketClient.builder()
 *     .reconnect(ReconnectPolicy.builder()
 *         .initialDelay(Duration.ofMillis(200))
 *         .maxDelay(Duration.ofSeconds(10))
 *         .offlineBufferEvents(500)
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p><b>Backoff.</b> Attempt n waits a random time between zero and {@code min(maxDelay,
 * initialDelay * 2^(n-1))} ("full jitter"), so clients that lost the same server spread their
 * reconnects out instead of hitting it together when it comes back. When the server said when
 * to come back (the retry hint of a {@code server_shutdown}, {@code server_full} or {@code
 * overloaded} close: {@link CloseStatus#retryAfter()}), the attempt waits the hint plus that
 * jitter. A client given several endpoints ({@link EbsocketClient#connectTo(java.util.List)})
 * paces its attempts the same way, whichever endpoint they go to.
 *
 * <p><b>When.</b> After any disconnect but three: the client's own {@link EbsocketClient#close()}
 * ({@link CloseReason#CLIENT_CLOSED}), a server application that closed this client on purpose
 * ({@link CloseReason#KICKED}), which reconnecting would defy, and a server that refused it
 * ({@link CloseReason#UNAUTHORIZED}), which would refuse the same hello again. A server that shuts down or is full,
 * a network failure, a timeout or a protocol error all lead to a reconnect.
 *
 * <p><b>Offline buffer.</b> While reconnecting, {@link EbsocketClient#sendEvent} holds up to
 * {@link #offlineBufferEvents()} events and sends them, in order, before anything newer once
 * reconnected.
 */
public final class ReconnectPolicy {
  /** The default bound of the first attempt's delay: 250 ms. */
  public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofMillis(250);
  /** The default bound of any attempt's delay: 30 seconds. */
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
  /** The default number of attempts before giving up: 0, which means never give up. */
  public static final int DEFAULT_MAX_ATTEMPTS = 0;
  /** The default capacity of the offline buffer: 1,000 events. */
  public static final int DEFAULT_OFFLINE_BUFFER_EVENTS = 1_000;

  private static final ReconnectPolicy DEFAULTS = builder().build();

  private final Duration initialDelay;
  private final Duration maxDelay;
  private final int maxAttempts;
  private final int offlineBufferEvents;

  private ReconnectPolicy(Builder b) {
    this.initialDelay = b.initialDelay;
    this.maxDelay = b.maxDelay;
    this.maxAttempts = b.maxAttempts;
    this.offlineBufferEvents = b.offlineBufferEvents;
  }

  /**
   * Returns the policy with every setting at its default.
   *
   * @return the default policy
   */
  public static ReconnectPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a builder.
   *
   * @return a builder with every setting at its default
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the bound of the first attempt's delay; each later attempt doubles it.
   *
   * @return the initial delay
   */
  public Duration initialDelay() {
    return initialDelay;
  }

  /**
   * Returns the bound no attempt's delay goes over.
   *
   * @return the max delay
   */
  public Duration maxDelay() {
    return maxDelay;
  }

  /**
   * Returns how many attempts in a row may fail before the client gives up and ends.
   *
   * @return the limit; 0 means never give up
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns how many events sent while offline are held for sending after the reconnect.
   *
   * @return the capacity of the offline buffer
   */
  public int offlineBufferEvents() {
    return offlineBufferEvents;
  }

  /** Whether a connection that ended for {@code reason} is reconnected. */
  static boolean reconnectsAfter(CloseReason reason) {
    return reason != CloseReason.CLIENT_CLOSED
        && reason != CloseReason.KICKED
        && reason != CloseReason.UNAUTHORIZED;
  }

  /**
   * The delay before attempt {@code attempt}, given a uniformly random {@code random} in [0, 1).
   */
  long delayNanos(int attempt, double random) {
    long initial = initialDelay.toNanos();
    long max = maxDelay.toNanos();
    int doublings = Math.min(Math.max(attempt - 1, 0), 62);
    long ceiling = initial > (max >> doublings) ? max : Math.min(max, initial << doublings);
    return (long) (ceiling * random);
  }

  @Override
  public String toString() {
    return "ReconnectPolicy{initialDelay=" + initialDelay + ", maxDelay=" + maxDelay
        + ", maxAttempts=" + maxAttempts + ", offlineBufferEvents=" + offlineBufferEvents + '}';
  }

  /** Builds a {@link ReconnectPolicy}. Every setter validates its argument. */
  public static final class Builder {
    private Duration initialDelay = DEFAULT_INITIAL_DELAY;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private int offlineBufferEvents = DEFAULT_OFFLINE_BUFFER_EVENTS;

    private Builder() {}

    /**
     * Sets the bound of the first attempt's delay.
     *
     * @param initialDelay greater than zero; default {@link #DEFAULT_INITIAL_DELAY}
     * @return this builder
     */
    public Builder initialDelay(Duration initialDelay) {
      this.initialDelay = Checks.positive(initialDelay, "initialDelay");
      return this;
    }

    /**
     * Sets the bound no attempt's delay goes over.
     *
     * @param maxDelay at least the initial delay; default {@link #DEFAULT_MAX_DELAY}
     * @return this builder
     */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = Checks.positive(maxDelay, "maxDelay");
      return this;
    }

    /**
     * Sets how many attempts in a row may fail before the client gives up.
     *
     * @param maxAttempts 0 (never give up, the default) or more
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = Checks.inRange(maxAttempts, 0, Integer.MAX_VALUE, "maxAttempts");
      return this;
    }

    /**
     * Sets how many events sent while offline are held.
     *
     * @param offlineBufferEvents greater than zero; default {@value #DEFAULT_OFFLINE_BUFFER_EVENTS}
     * @return this builder
     */
    public Builder offlineBufferEvents(int offlineBufferEvents) {
      this.offlineBufferEvents = Checks.positive(offlineBufferEvents, "offlineBufferEvents");
      return this;
    }

    /**
     * Creates the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException if the max delay is below the initial delay
     */
    public ReconnectPolicy build() {
      if (maxDelay.compareTo(initialDelay) < 0) {
        throw new IllegalArgumentException(
            "maxDelay: " + maxDelay + " (expected: at least initialDelay " + initialDelay + ")");
      }
      return new ReconnectPolicy(this);
    }
  }
}
