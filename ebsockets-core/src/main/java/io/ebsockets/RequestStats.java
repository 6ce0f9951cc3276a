package io.ebsockets;

/**
 * The server's requests to its clients ({@link EbsocketSystem#request}) at one moment, part of
 * {@link SystemStats}.
 *
 * @param sent requests sent
 * @param answered requests whose reply came in time
 * @param timedOut requests that got no reply within their timeout
 * @param failed requests failed otherwise (their connection ended first)
 * @param answeredNanos the time all answered requests took, sent to reply, added up (with
 *     {@code answered}, the mean latency)
 */
public record RequestStats(
    long sent, long answered, long timedOut, long failed, long answeredNanos) {

  private static final RequestStats NONE = new RequestStats(0, 0, 0, 0, 0);

  /**
   * No requests.
   *
   * @return zeros
   */
  public static RequestStats none() {
    return NONE;
  }
}
