package io.ebsockets;

import java.util.Objects;

/**
 * Whether a server should be sent new clients: what a load balancer's health check asks. Made by
 * {@link EbsocketSystem#health()}; on a WebSocket door, {@link Listener#withHealthPath} answers
 * HTTP with it.
 *
 * @param state where the server is in its life: serving, or on its way out
 * @param listening true while every door is bound and accepting sockets
 * @param busConnected true if the cluster bus carries messages now ({@link ClusterStats#live()});
 *     true for a node alone
 * @param outboundBacklogBytes bytes of sends waiting to be written, over all connections
 * @param backlogged true while that backlog is at the server's bound ({@link
 *     ServerOptions#maxOutboundBacklogBytes()}), where sends start to wait
 * @param queuedEvents received events waiting for the pump loop
 */
public record Health(
    State state,
    boolean listening,
    boolean busConnected,
    long outboundBacklogBytes,
    boolean backlogged,
    long queuedEvents) {

  /** Where a server is in its life (the shutdown state machine of {@link EbsocketSystem#close()}). */
  public enum State {
    /** Running: takes new clients. */
    SERVING,
    /**
     * Shutting down, in the lame-duck period ({@link EbsocketServer.Builder#lameDuck}): turns new
     * clients away and closes its own, spread over the period, while it serves the rest.
     */
    LAME_DUCK,
    /** Shutting down: reads nothing more, hands out and sends what it has. */
    DRAINING,
    /** Closed, or closing its last connections. */
    CLOSED
  }

  /**
   * Creates a health report.
   *
   * @param state the state
   * @param listening whether the doors accept
   * @param busConnected whether the cluster bus carries messages
   * @param outboundBacklogBytes the outbound backlog
   * @param backlogged whether the backlog is at its bound
   * @param queuedEvents the events waiting for the pump
   * @throws NullPointerException if {@code state} is null
   */
  public Health {
    Objects.requireNonNull(state, "state");
  }

  /**
   * Tells whether the server should be sent new clients: serving, listening, its bus connected
   * and its backlog under the bound. A health path answers 200 when true and 503 when not.
   *
   * @return true if healthy
   */
  public boolean ok() {
    return state == State.SERVING && listening && busConnected && !backlogged;
  }

  /**
   * Tells whether the server is on its way out (lame duck or draining) but not yet closed.
   *
   * @return true while shutting down
   */
  public boolean draining() {
    return state == State.LAME_DUCK || state == State.DRAINING;
  }

  /**
   * Returns this report as a JSON object, the body a health path answers with, e.g. {@code
   * {"status":"serving","ok":true,"listening":true,...}}.
   *
   * @return one line of JSON
   */
  public String toJson() {
    return "{\"status\":\"" + state.name().toLowerCase(java.util.Locale.ROOT) + "\",\"ok\":" + ok()
        + ",\"listening\":" + listening + ",\"draining\":" + draining()
        + ",\"busConnected\":" + busConnected + ",\"outboundBacklogBytes\":"
        + outboundBacklogBytes + ",\"backlogged\":" + backlogged + ",\"queuedEvents\":"
        + queuedEvents + "}";
  }
}
