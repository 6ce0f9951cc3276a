package io.ebsockets.netty;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The connections one frame goes to, gathered on the sending thread and handed to each event
 * loop they belong to as one {@link LoopOutbox.Handout}: per recipient the sender only reads and
 * stores a reference, and per loop it allocates the handout's exact array.
 *
 * <p><b>Threads.</b> One per thread, reused from one send to the next ({@link #take()}); a send
 * made while gathering (from a broadcast's filter) gets a fresh one.
 */
final class Recipients {
  private static final ThreadLocal<Recipients> OF_THREAD = ThreadLocal.withInitial(Recipients::new);

  private NettyConnection[] gathered = new NettyConnection[64];
  private int size;
  /** The outbox of the first recipient, and whether any other recipient has another one. */
  private LoopOutbox first;
  private boolean mixed;
  private boolean taken;

  private Recipients() {}

  /** This thread's recipients, empty; give them back with {@link #clear}. */
  static Recipients take() {
    Recipients recipients = OF_THREAD.get();
    if (recipients.taken) {
      recipients = new Recipients();
    }
    recipients.taken = true;
    return recipients;
  }

  void add(NettyConnection connection) {
    if (size == gathered.length) {
      gathered = Arrays.copyOf(gathered, size * 2);
    }
    gathered[size++] = connection;
    LoopOutbox outbox = connection.outbox();
    if (first == null) {
      first = outbox;
    } else if (outbox != first) {
      mixed = true;
    }
  }

  /**
   * Hands the frame to the loops of the recipients gathered, charging its bytes to the backlog
   * once per loop. The frame stays the caller's: each handout takes a reference of its own.
   *
   * @return how many recipients it was handed to (all of them, unless a loop has shut down)
   */
  int handOut(ByteBuf frame, WriteBacklog backlog) {
    if (size == 0) {
      return 0;
    }
    if (!mixed) {
      return handOut(first, Arrays.copyOf(gathered, size), size, frame, backlog);
    }
    int handed = 0;
    for (int i = 0; i < size; i++) {
      if (gathered[i] != null) {
        handed += handOutLoopOf(gathered[i], i, frame, backlog);
      }
    }
    return handed;
  }

  /** Empties this for the thread's next send, handed out or not. */
  void clear() {
    Arrays.fill(gathered, 0, size, null);
    size = 0;
    first = null;
    mixed = false;
    taken = false;
  }

  /** The recipients from {@code from} on that share {@code connection}'s loop, taken out. */
  private int handOutLoopOf(NettyConnection connection, int from, ByteBuf frame,
      WriteBacklog backlog) {
    LoopOutbox outbox = connection.outbox();
    NettyConnection[] same = new NettyConnection[size - from];
    int count = 0;
    for (int i = from; i < size; i++) {
      if (gathered[i] != null && gathered[i].outbox() == outbox) {
        same[count++] = gathered[i];
        gathered[i] = null;
      }
    }
    return handOut(outbox, same, count, frame, backlog);
  }

  private static int handOut(LoopOutbox outbox, NettyConnection[] recipients, int count,
      ByteBuf frame, WriteBacklog backlog) {
    backlog.add((long) count * frame.readableBytes());
    frame.retain();
    return outbox.offer(new LoopOutbox.Handout(frame, recipients, count, backlog)) ? count : 0;
  }
}
