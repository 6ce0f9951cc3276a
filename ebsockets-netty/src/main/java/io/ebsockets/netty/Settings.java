package io.ebsockets.netty;

import io.ebsockets.ConnectionOptions;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a connection needs to know about its side.
 *
 * @param options the connection settings
 * @param client true on the client side: it says hello and waits for the welcome; the server
 *     answers
 * @param eventsOut counts application events queued, over all connections of the side
 * @param bytesOut counts bytes of those events
 * @param coalescingNanos the options' write-coalescing window, in nanoseconds (read per send)
 * @param backlog the side's write backlog, over all its connections
 * @param failures what a failure means, and its log allowance, for all the side's connections
 */
record Settings(
    ConnectionOptions options,
    boolean client,
    LongAdder eventsOut,
    LongAdder bytesOut,
    long coalescingNanos,
    WriteBacklog backlog,
    Failures failures) {

  /** A client's, or one for tests: no write-backlog bound ({@link WriteBacklog#UNBOUNDED}). */
  Settings(ConnectionOptions options, boolean client) {
    this(options, client, WriteBacklog.UNBOUNDED);
  }

  Settings(ConnectionOptions options, boolean client, WriteBacklog backlog) {
    this(options, client, new LongAdder(), new LongAdder(), options.writeCoalescing().toNanos(),
        backlog, new Failures());
  }
}
