package io.ebsockets;

import java.util.HashMap;
import java.util.Map;

/**
 * What a receiving node knows of each sender's stream on each channel: the sender's epoch and
 * the last sequence number taken. It tells a new message from a duplicate and from one that
 * follows a gap. A sender seen for the first time on a channel, or with a new epoch (it
 * restarted), starts a stream: whatever came before is not this node's to miss.
 *
 * <p><b>Threads.</b> Only the cluster link's delivery thread.
 */
final class Sequences {
  /** What one message is, relative to those before it. */
  enum Verdict {
    /** The next one, or the first of a stream: deliver. */
    NEXT,
    /** Taken before: drop. */
    DUPLICATE,
    /** After a gap ({@link #missed()} tells how many are missing): deliver, and count. */
    AFTER_GAP
  }

  private static final class Stream {
    long epoch;
    long last;
  }

  private final Map<String, Map<String, Stream>> byChannel = new HashMap<>();
  private long missed;

  /** Judges one message and records it. */
  Verdict take(String channel, String node, long epoch, long seq) {
    Stream s = byChannel.computeIfAbsent(channel, c -> new HashMap<>()).get(node);
    if (s == null || s.epoch != epoch) {
      if (s == null) {
        s = new Stream();
        byChannel.get(channel).put(node, s);
      }
      s.epoch = epoch;
      s.last = seq;
      return Verdict.NEXT;
    }
    if (seq <= s.last) {
      return Verdict.DUPLICATE;
    }
    long gap = seq - s.last - 1;
    s.last = seq;
    if (gap == 0) {
      return Verdict.NEXT;
    }
    missed = gap;
    return Verdict.AFTER_GAP;
  }

  /** How many messages the last {@link Verdict#AFTER_GAP} found missing. */
  long missed() {
    return missed;
  }

  /**
   * This node left the channel on purpose: what it knew of its streams no longer holds (it
   * will not see what is published until it subscribes again).
   */
  void forget(String channel) {
    byChannel.remove(channel);
  }
}
