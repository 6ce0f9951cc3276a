package io.ebsockets.spi;

/**
 * The numbers of wire protocol v1 (docs/PROTOCOL.md) that both the facades and a transport's
 * codec must agree on, kept in one place so that they cannot drift apart.
 */
public final class WireProtocol {
  /** The protocol version a hello and a welcome carry. */
  public static final int VERSION = 1;

  /** The max frame length assumed of a peer that announced none: 1 MiB. */
  public static final int DEFAULT_MAX_FRAME_LENGTH = 1 << 20;

  /**
   * The smallest max frame length a peer may announce, and a side may be configured with: every
   * control frame fits in it (their messages are cut to fit).
   */
  public static final int MIN_MAX_FRAME_LENGTH = 1024;

  /**
   * How deep objects and arrays may nest on the wire, the payload object being level 1 and its
   * {@code data} level 2. Whatever an application can build, a peer can read.
   */
  public static final int MAX_NESTING_DEPTH = 64;

  /** The largest request id: 2<sup>53</sup> - 1, so that a JavaScript peer reads every id exactly. */
  public static final long MAX_REQUEST_ID = (1L << 53) - 1;

  private WireProtocol() {}
}
