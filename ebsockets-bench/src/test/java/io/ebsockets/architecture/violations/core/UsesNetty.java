package io.ebsockets.architecture.violations.core;

import io.netty.buffer.Unpooled;

/** A deliberate violation: a "core" class that uses Netty. */
final class UsesNetty {
  private UsesNetty() {}

  static int capacity() {
    return Unpooled.buffer(1).capacity();
  }
}
