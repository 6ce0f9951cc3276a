package io.ebsockets;

import java.time.Duration;

/**
 * How a server keeps resumable sessions ({@link EbsocketServer.Builder#resumption}): while a
 * resumable client's connection is lost, the server keeps its session (the {@link
 * EbsocketConnection}, its attributes, groups and pending requests, and the events sent to it
 * that the client has not acknowledged) for the {@linkplain #window() resume window}. A client
 * that comes back within it carries on where it was, in both directions, with every event
 * delivered once and in order; one that comes back later, or after the server's replay buffer for
 * it overflowed, is told that its session expired. docs/RELIABILITY.md says what is and is not
 * guaranteed, and why the defaults are what they are.
 *
 * <p>Immutable; each {@code with...} method returns a copy.
 *
 * @param window how long a disconnected session is kept
 * @param maxEvents the most events kept for one session that its client has not acknowledged
 * @param maxBytes the most bytes of frames kept for one session (a broadcast's frame is shared by
 *     every session it was sent to, and counted in full by each)
 * @param maxAge the longest a connected client may leave events unacknowledged; past it the
 *     session stops being resumable (the connection carries on), and a disconnected session
 *     expires
 */
public record Resumption(Duration window, int maxEvents, long maxBytes, Duration maxAge) {

  /** The default resume window: two minutes. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);

  /** The default bound on unacknowledged events per session. */
  public static final int DEFAULT_MAX_EVENTS = 4096;

  /** The default bound on unacknowledged bytes per session: 4 MiB, the outbound limit's. */
  public static final long DEFAULT_MAX_BYTES = 4L << 20;

  /**
   * Checks the bounds.
   *
   * @throws IllegalArgumentException if a duration is not positive or a bound is below 1
   * @throws NullPointerException if a duration is null
   */
  public Resumption {
    Checks.positive(window, "window");
    Checks.positive(maxAge, "maxAge");
    Checks.positive(maxEvents, "maxEvents");
    Checks.positive(maxBytes, "maxBytes");
  }

  /**
   * Returns the defaults: a window of {@link #DEFAULT_WINDOW}, {@value #DEFAULT_MAX_EVENTS}
   * events, {@link #DEFAULT_MAX_BYTES} bytes, and a max age equal to the window.
   *
   * @return the defaults
   */
  public static Resumption defaults() {
    return new Resumption(DEFAULT_WINDOW, DEFAULT_MAX_EVENTS, DEFAULT_MAX_BYTES, DEFAULT_WINDOW);
  }

  /**
   * Returns a copy with another window.
   *
   * @param window greater than zero
   * @return the copy
   */
  public Resumption withWindow(Duration window) {
    return new Resumption(window, maxEvents, maxBytes, maxAge);
  }

  /**
   * Returns a copy with other bounds on the replay buffer.
   *
   * @param maxEvents at least 1
   * @param maxBytes at least 1
   * @return the copy
   */
  public Resumption withReplayBuffer(int maxEvents, long maxBytes) {
    return new Resumption(window, maxEvents, maxBytes, maxAge);
  }

  /**
   * Returns a copy with another max age of unacknowledged events.
   *
   * @param maxAge greater than zero
   * @return the copy
   */
  public Resumption withMaxAge(Duration maxAge) {
    return new Resumption(window, maxEvents, maxBytes, maxAge);
  }
}
