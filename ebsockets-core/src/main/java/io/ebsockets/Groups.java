package io.ebsockets;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Named groups of connections (rooms). Each change to one group is atomic ({@code compute} on
 * its key), an empty group disappears, and a connection also keeps the names of its groups so
 * that leaving everything on disconnect is cheap. Safe from any thread.
 */
final class Groups {
  /**
   * Told of each change, on the thread that made it, without blocking: the cluster link keeps
   * its subscriptions and presence in step through it. Each call comes after its change is
   * visible, so a listener that looks at the group then sees it (calls about one group from
   * several threads may come in any order: a listener reads the truth rather than counting).
   */
  interface Listener {
    Listener NONE = new Listener() {};

    /** The group has its first member. */
    default void firstJoined(String group) {}

    /** The group has lost its last member. */
    default void lastLeft(String group) {}

    /** A connection joined a group. */
    default void joined(String group, EbsocketConnection member) {}

    /** A connection left a group. */
    default void left(String group, EbsocketConnection member) {}
  }

  private final Map<String, Set<EbsocketConnection>> members = new ConcurrentHashMap<>();
  private volatile Listener listener = Listener.NONE;

  void listen(Listener listener) {
    this.listener = listener;
  }

  /** Adds; false if already a member or the connection has ended. */
  boolean join(EbsocketConnection connection, String group) {
    Objects.requireNonNull(connection, "connection");
    checkName(group);
    if (connection.hasLeftEverything()) {
      return false;
    }
    boolean[] added = new boolean[2];
    members.compute(group, (name, set) -> {
      Set<EbsocketConnection> s = set != null ? set : ConcurrentHashMap.newKeySet();
      added[0] = s.add(connection);
      added[1] = set == null;
      return s;
    });
    if (added[1]) {
      listener.firstJoined(group);
    }
    if (added[0]) {
      connection.groupNames().add(group);
      listener.joined(group, connection);
      // A disconnect that raced with this join has already emptied the connection's groups.
      if (connection.hasLeftEverything()) {
        leave(connection, group);
        return false;
      }
    }
    return added[0];
  }

  /** Removes; false if not a member. */
  boolean leave(EbsocketConnection connection, String group) {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(group, "group");
    boolean[] removed = new boolean[2];
    members.computeIfPresent(group, (name, set) -> {
      removed[0] = set.remove(connection);
      removed[1] = set.isEmpty();
      return set.isEmpty() ? null : set;
    });
    if (removed[1]) {
      listener.lastLeft(group);
    }
    connection.groupNames().remove(group);
    if (removed[0]) {
      listener.left(group, connection);
    }
    return removed[0];
  }

  /** The connection has ended: it leaves every group, and cannot join again. */
  void leaveAll(EbsocketConnection connection) {
    connection.markLeftEverything();
    for (String group : connection.groupNames()) {
      leave(connection, group);
    }
  }

  Set<EbsocketConnection> members(String group) {
    Set<EbsocketConnection> set = members.get(Objects.requireNonNull(group, "group"));
    return set == null ? Collections.emptySet() : set;
  }

  Set<String> names() {
    return members.keySet();
  }

  private static void checkName(String group) {
    Objects.requireNonNull(group, "group");
    if (group.isEmpty()) {
      throw new IllegalArgumentException("group: '' (expected: a non-empty name)");
    }
  }
}
