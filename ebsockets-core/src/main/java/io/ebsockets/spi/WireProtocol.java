package io.ebsockets.spi;

/**
 * The numbers of wire protocol v1 (docs/PROTOCOL.md) that both the facades and a transport's
 * codec must agree on, kept in one place so that they cannot drift apart.
 */
public final class WireProtocol {
  /** The protocol version a hello and a welcome carry. */
  public static final int VERSION = 1;

  /**
   * How deep objects and arrays may nest on the wire, the payload object being level 1 and its
   * {@code data} level 2. Whatever an application can build, a peer can read.
   */
  public static final int MAX_NESTING_DEPTH = 64;

  /** The largest request id: 2<sup>53</sup> - 1, so that a JavaScript peer reads every id exactly. */
  public static final long MAX_REQUEST_ID = (1L << 53) - 1;

  private WireProtocol() {}
}
