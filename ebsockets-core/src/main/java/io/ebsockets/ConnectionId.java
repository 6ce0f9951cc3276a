package io.ebsockets;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A connection's id across the nodes of a cluster: the node that holds it and its id there. On a
 * single node, {@link #node()} is that node's own id. Written {@code node/local}, e.g. {@code
 * chat-1/42}; {@link #parse} reads that form back, so the id can travel in an event to another
 * node and be addressed with {@link EbsocketSystem#sendEventTo(ConnectionId, EbsocketEvent)}.
 *
 * @param node the id of the node holding the connection (see {@link #isValidNodeId})
 * @param local the connection's {@link EbsocketConnection#id()} on that node, at least 0
 */
public record ConnectionId(String node, long local) {
  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /**
   * Creates an id.
   *
   * @param node the node's id
   * @param local the local id
   * @throws IllegalArgumentException if the node id is not valid or the local id is negative
   */
  public ConnectionId {
    checkNodeId(node, "node");
    if (local < 0) {
      throw new IllegalArgumentException("local: " + local + " (expected: >= 0)");
    }
  }

  /**
   * Reads the form {@link #toString()} writes.
   *
   * @param text e.g. {@code chat-1/42}
   * @return the id
   * @throws IllegalArgumentException naming the text if it is not of that form
   */
  public static ConnectionId parse(String text) {
    Objects.requireNonNull(text, "text");
    int slash = text.lastIndexOf('/');
    if (slash > 0 && slash < text.length() - 1) {
      try {
        return new ConnectionId(text.substring(0, slash), Long.parseLong(text.substring(slash + 1)));
      } catch (IllegalArgumentException e) {
        // reported below, with the form expected
      }
    }
    throw new IllegalArgumentException(
        "connection id: '" + text + "' (expected: node/local, e.g. chat-1/42)");
  }

  /**
   * Tells whether a string can be a node id: 1 to 64 letters, digits, '.', '_' or '-'.
   *
   * @param id the candidate
   * @return true if valid
   */
  public static boolean isValidNodeId(String id) {
    return id != null && NODE_ID.matcher(id).matches();
  }

  static String checkNodeId(String id, String name) {
    Objects.requireNonNull(id, name);
    if (!isValidNodeId(id)) {
      throw new IllegalArgumentException(
          name + ": '" + id + "' (expected: 1 to 64 letters, digits, '.', '_' or '-')");
    }
    return id;
  }

  /** Returns {@code node/local}. */
  @Override
  public String toString() {
    return node + "/" + local;
  }
}
