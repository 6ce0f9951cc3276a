package io.ebsockets;

/**
 * A value in an event's data is missing or not of the type that was asked for, e.g. {@code
 * getInt("count")} on an event whose {@code count} is a string. The message names the key, the
 * expected and the actual type.
 */
public final class EventDataException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was wrong and what was expected
   */
  public EventDataException(String message) {
    super(message);
  }
}
