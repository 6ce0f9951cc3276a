package io.ebsockets.netty;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server-wide outbound memory budget ({@link io.ebsockets.ServerOptions#maxOutboundMemory()}):
 * ten times a second (once while the side sends nothing) it adds up what every connection's
 * outbound queue costs ({@link OutboundQueue#memoryCost()}) and, if the sum is over the budget,
 * closes the connections with the largest backlogs as {@code slow_consumer}, largest first,
 * until it is under. Five thousand clients that never read, each far under its own {@code
 * maxOutboundBytes}, together held 150 MB of queue entries and buffer views and ended the server;
 * the budget drops them before that, and the readers that keep up, whose queues are small, are
 * the last it would ever choose.
 *
 * <p>The same sweep closes a connection that has stayed over its own {@code maxOutboundBytes}
 * for the slow-consumer timeout even if nothing more is sent to it.
 *
 * <p>A sweep, not a count kept on every send: the hot path of a broadcast stays a reference per
 * recipient on the sender and a staged frame on the loop, and the budget is overshot by at most
 * a tenth of a second's growth. Frames still in a loop's {@link LoopOutbox} are no connection's
 * yet: the write backlog bounds them.
 *
 * <p>While the side sends no application event, the outbound memory cannot grow but by control
 * frames of a few bytes, so the sweep over every connection runs once a second instead of ten
 * times: at 1,000 idle clients the ten sweeps a second cost 0.75% of a core (1.77% against 1.02%
 * with one, same machine, back to back). A send is seen at the next tick, within a tenth of a
 * second, as before; the once-a-second sweep still closes a peer that has stayed over its own
 * limit with nothing more sent to it, within a second of its slow-consumer timeout.
 *
 * <p><b>Threads.</b> Runs on one event loop of the server; {@link #stop()} from any thread.
 */
final class OutboundBudget {
  static final long SWEEP_MILLIS = 100;
  /** While nothing is sent: one sweep in this many ticks. */
  static final int IDLE_TICKS = 10;

  private final long max;
  private final Collection<NettyConnection> connections;
  private final LongSupplier eventsSent;
  private final ScheduledFuture<?> sweeps;
  /** The tick's loop only: {@link #eventsSent} at the last sweep. */
  private long sentAtSweep;
  /** The tick's loop only: ticks since the last sweep. */
  private int ticksSinceSweep;

  /**
   * @param eventsSent the application events the side has sent so far (any thread, cheap)
   */
  OutboundBudget(
      long max, Collection<NettyConnection> connections, LongSupplier eventsSent, EventLoop loop) {
    this.max = max;
    this.connections = connections;
    this.eventsSent = eventsSent;
    this.sweeps =
        loop.scheduleAtFixedRate(this::tick, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
  }

  void stop() {
    sweeps.cancel(false);
  }

  /** Sweeps if anything was sent since the last sweep, or once in {@link #IDLE_TICKS} anyway. */
  void tick() {
    long sent = eventsSent.getAsLong();
    if (sent == sentAtSweep && ++ticksSinceSweep < IDLE_TICKS) {
      return;
    }
    sentAtSweep = sent;
    ticksSinceSweep = 0;
    sweep();
  }

  /** Closes the largest consumers until the total is under the budget; the total it found. */
  long sweep() {
    long total = 0;
    for (NettyConnection connection : connections) {
      connection.judgeOutbound(); // one that has stayed over its own limit for too long goes
      if (connection.isOpen()) { // a closing one is being freed already, within its close timeout
        total += connection.outboundCost();
      }
    }
    if (total <= max) {
      return total;
    }
    List<Candidate> candidates = new ArrayList<>(connections.size());
    for (NettyConnection connection : connections) {
      if (connection.isOpen()) {
        candidates.add(new Candidate(connection, connection.outboundCost()));
      }
    }
    candidates.sort(Comparator.comparingLong(Candidate::cost).reversed());
    long left = total;
    for (Candidate candidate : candidates) {
      if (left <= max) {
        break;
      }
      candidate.connection().overOutboundBudget(max, total, candidate.cost());
      left -= candidate.cost();
    }
    return total;
  }

  private record Candidate(NettyConnection connection, long cost) {}
}
