package io.ebsockets.bench.cluster;

import io.ebsockets.bench.load.LoadClient;
import io.ebsockets.bench.load.Wire;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Senders that share a steady rate: each ticks every millisecond on its own event loop and
 * writes its share as numbered load frames (sender = its index, sequence from 0 without holes),
 * so every receiver can check each sender's stream. A sender whose connection is gone stops.
 */
final class PacedSenders {
  private final List<ScheduledFuture<?>> tickers = new ArrayList<>();

  private PacedSenders() {}

  static PacedSenders start(List<LoadClient> senders, int ratePerSecond) {
    PacedSenders paced = new PacedSenders();
    double perTick = ratePerSecond / 1000.0 / senders.size();
    for (int s = 0; s < senders.size(); s++) {
      LoadClient sender = senders.get(s);
      int id = s;
      long[] seq = new long[1];
      double[] owed = new double[1];
      paced.tickers.add(sender.channel().eventLoop().scheduleAtFixedRate(() -> {
        if (!sender.channel().isActive()) {
          return;
        }
        owed[0] += perTick;
        while (owed[0] >= 1) {
          owed[0] -= 1;
          sender.channel().write(
              Wire.loadFrame(ByteBufAllocator.DEFAULT, id, seq[0]++, System.nanoTime(), 0),
              sender.channel().voidPromise());
        }
        sender.channel().flush();
      }, 1, 1, TimeUnit.MILLISECONDS));
    }
    return paced;
  }

  void stop() {
    for (ScheduledFuture<?> t : tickers) {
      t.cancel(false);
    }
  }
}
