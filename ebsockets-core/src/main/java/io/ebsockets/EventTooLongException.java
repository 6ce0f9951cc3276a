package io.ebsockets;

/**
 * An event whose encoding is longer than the frame it has to fit: this side's max frame length,
 * or the one the peer announced. Nothing of it was sent. A client's sends throw it to the caller;
 * the server's sends ({@link EbsocketSystem#sendEventTo}, {@code sendEventToClients}, {@code
 * sendEventToGroup}, {@code reply}) do not, since what they relay may have come from a peer:
 * they drop the event, log a warning and report it as not sent.
 */
public class EventTooLongException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was too long, by how much, and what the limit is
   */
  public EventTooLongException(String message) {
    super(message);
  }
}
