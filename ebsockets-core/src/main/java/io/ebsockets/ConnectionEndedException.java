package io.ebsockets;

import java.io.IOException;
import java.util.Objects;

/**
 * A connection ended before what was waiting on it: a request's reply (every request pending on a
 * connection fails with this at once when it ends), or a connect's welcome (the server refused
 * the connection: {@link #status()} says why, and when to try again if the server said so).
 */
public final class ConnectionEndedException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why the connection ended. */
  private final transient CloseStatus status;

  /**
   * Creates the exception.
   *
   * @param message what was waiting, and for what
   * @param status why the connection ended
   */
  public ConnectionEndedException(String message, CloseStatus status) {
    super(message);
    this.status = Objects.requireNonNull(status, "status");
  }

  /**
   * Returns why the connection ended.
   *
   * @return the reason and message
   */
  public CloseStatus status() {
    return status;
  }
}
