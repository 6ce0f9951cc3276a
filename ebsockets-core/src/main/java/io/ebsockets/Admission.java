package io.ebsockets;

import java.util.Objects;

/**
 * The application's say on who may connect: sees each connection's {@link Handshake} (the
 * client's hello and, on a WebSocket door, the upgrade request's query, headers and cookies) and
 * admits or refuses it before the connection reaches {@link EbsocketSystem#pump()}. A refused
 * connection is told {@code unauthorized} with the verdict's message and closed; it is never
 * reported to the application, and {@link SystemStats#refused()} counts it.
 *
 * <pre>{@code
 * EbsocketServer server = EbsocketServer.builder()
 *     .listen(Listener.webSocket(8080, "/ebs"))
 *     .admission(h -> token.equals(h.helloValue("token").orElse(h.queryParameter("token").orElse("")))
 *         ? Admission.Verdict.admit()
 *         : Admission.Verdict.refuse("a valid token is required"))
 *     .build();
 * }</pre>
 *
 * <p><b>Threads.</b> Called on the connection's I/O thread, once per connection, when its hello
 * arrives. It must return quickly and never block: every connection of that thread waits while
 * it runs. A hook that throws refuses the connection (and the error is logged).
 */
@FunctionalInterface
public interface Admission {

  /**
   * Decides on one connection.
   *
   * @param handshake what the client presented
   * @return the verdict, never null
   */
  Verdict decide(Handshake handshake);

  /** What {@link Admission#decide} says: admit, or refuse with a message for the client. */
  final class Verdict {
    private static final Verdict ADMIT = new Verdict(null);

    private final String refusal;

    private Verdict(String refusal) {
      this.refusal = refusal;
    }

    /**
     * Admits the connection.
     *
     * @return the verdict
     */
    public static Verdict admit() {
      return ADMIT;
    }

    /**
     * Refuses the connection: it is told {@code unauthorized} with this message and closed.
     *
     * @param message why, for the client (keep it short: a WebSocket close carries at most 123
     *     bytes of it)
     * @return the verdict
     */
    public static Verdict refuse(String message) {
      return new Verdict(Objects.requireNonNull(message, "message"));
    }

    /**
     * Returns whether the connection is admitted.
     *
     * @return true if admitted
     */
    public boolean admitted() {
      return refusal == null;
    }

    /**
     * Returns the refusal's message.
     *
     * @return the message, or the empty string if admitted
     */
    public String message() {
      return refusal == null ? "" : refusal;
    }

    @Override
    public String toString() {
      return refusal == null ? "admit" : "refuse(" + refusal + ")";
    }
  }
}
