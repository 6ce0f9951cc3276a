package io.ebsockets;

/**
 * A server's resumable sessions at one moment, part of {@link SystemStats}: how many it keeps,
 * how many wait for their client, what their replay buffers hold, and how resumes ended. A server
 * without {@linkplain EbsocketServer.Builder#resumption resumption} reports zeros.
 *
 * @param kept sessions kept now, connected or waiting for their client
 * @param disconnected of those, the ones waiting for their client to resume
 * @param replayEvents events held for replay, over all sessions (sent, not acknowledged)
 * @param replayBytes bytes of those events' frames, counted once per session that holds them
 *     (a broadcast's frame is one buffer shared by every session it was sent to)
 * @param resumed resumes accepted since the server started
 * @param expired sessions that ended without resuming: their window passed, their replay buffer
 *     overflowed, or their client came back too late
 * @param refused resumes refused because the id was unknown or the token wrong or spent (each
 *     such client got a new session)
 */
public record SessionStats(
    int kept,
    int disconnected,
    long replayEvents,
    long replayBytes,
    long resumed,
    long expired,
    long refused) {

  private static final SessionStats NONE = new SessionStats(0, 0, 0, 0, 0, 0, 0);

  /**
   * The counters of a server that keeps no sessions.
   *
   * @return zeros
   */
  public static SessionStats none() {
    return NONE;
  }
}
