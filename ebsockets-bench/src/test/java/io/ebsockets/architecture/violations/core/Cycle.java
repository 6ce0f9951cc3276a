package io.ebsockets.architecture.violations.core;

/** A deliberate violation: the other half of a package cycle with the examples fixture. */
public final class Cycle {
  /** Refers back to the examples fixture's package. */
  public Object back() {
    return io.ebsockets.architecture.violations.examples.Back.INSTANCE;
  }
}
