package io.ebsockets.architecture.violations.examples;

/** Referred to by the core fixture, closing the cycle. */
public final class Back {
  /** The one instance. */
  public static final Back INSTANCE = new Back();

  private Back() {}
}
