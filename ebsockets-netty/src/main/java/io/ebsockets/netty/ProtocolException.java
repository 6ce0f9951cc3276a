package io.ebsockets.netty;

import io.netty.handler.codec.DecoderException;

/**
 * A peer broke the wire protocol. Thrown by the decoders; the connection handler turns it into an
 * {@code ebsockets.error} and a close. It carries no stack trace: it describes the peer's bytes,
 * not a fault of this program.
 */
final class ProtocolException extends DecoderException {
  private static final long serialVersionUID = 1L;

  private final ProtocolError code;

  ProtocolException(ProtocolError code, String message) {
    super(message);
    this.code = code;
  }

  ProtocolError code() {
    return code;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
