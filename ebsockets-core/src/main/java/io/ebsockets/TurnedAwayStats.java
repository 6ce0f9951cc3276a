package io.ebsockets;

/**
 * Connections the server turned away before admitting them, by why, part of {@link
 * SystemStats}: none of them was ever reported to the application or counted as accepted. Each
 * was told why and, for these three, when to come back ({@link CloseStatus#retryAfter()}).
 *
 * @param overloaded over the accept rate ({@link EbsocketServer.Builder#acceptRate})
 * @param full at the connection limit, the server's or the address's ({@link CloseReason#SERVER_FULL})
 * @param shuttingDown arrived while the server was shutting down (lame duck or drain)
 */
public record TurnedAwayStats(long overloaded, long full, long shuttingDown) {

  private static final TurnedAwayStats NONE = new TurnedAwayStats(0, 0, 0);

  /**
   * None turned away.
   *
   * @return zeros
   */
  public static TurnedAwayStats none() {
    return NONE;
  }

  /**
   * Returns how many were turned away, whatever the reason.
   *
   * @return the sum of the three counts
   */
  public long total() {
    return overloaded + full + shuttingDown;
  }
}
