package io.ebsockets;

import io.ebsockets.spi.TransportChannel;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** A transport channel for the facades' tests: open until closed; counts resume requests. */
class FakeChannel implements TransportChannel {
  final AtomicInteger resumes = new AtomicInteger();
  volatile CloseStatus status;
  private final boolean reportsReadComplete;

  FakeChannel() {
    this(false);
  }

  /** @param reportsReadComplete what {@link #reportsReadComplete()} answers */
  FakeChannel(boolean reportsReadComplete) {
    this.reportsReadComplete = reportsReadComplete;
  }

  @Override
  public long id() {
    return 1;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return new InetSocketAddress("127.0.0.1", 1);
  }

  @Override
  public boolean isOpen() {
    return status == null;
  }

  @Override
  public Optional<CloseStatus> closeStatus() {
    return Optional.ofNullable(status);
  }

  @Override
  public ConnectionStats stats() {
    return new ConnectionStats(Instant.EPOCH, Instant.EPOCH, 0, 0, 0, 0, 0);
  }

  @Override
  public void resumeReading() {
    resumes.incrementAndGet();
  }

  @Override
  public CompletableFuture<Void> close(CloseReason reason, String message) {
    status = new CloseStatus(reason, message);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean reportsReadComplete() {
    return reportsReadComplete;
  }
}
