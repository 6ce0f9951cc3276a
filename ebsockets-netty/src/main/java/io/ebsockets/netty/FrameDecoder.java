package io.ebsockets.netty;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.nio.ByteOrder;

/**
 * Splits the byte stream into frames: a 4-byte unsigned big-endian length N, then N bytes of
 * payload, with 1 &lt;= N &lt;= the max frame length.
 *
 * <pre>
 * BEFORE (one read)                          AFTER (one frame)
 * +--------+------------------------+        +------------------------+
 * | 0x0029 | {"type":"message",...} |  --->  | {"type":"message",...} |
 * +--------+------------------------+        +------------------------+
 * </pre>
 *
 * <p>A bad length fails at once, when the 4 length bytes arrive, with a {@link ProtocolException}
 * ({@code empty_frame} or {@code frame_too_long}); a declared length is never allocated before
 * its bytes arrive. This is what turns away an HTTP request or a TLS ClientHello at the port:
 * their first four bytes read as a length far over any sane maximum.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {
  static final int LENGTH_BYTES = 4;

  private final int maxFrameLength;

  FrameDecoder(int maxFrameLength) {
    super(
        (int) Math.min(Integer.MAX_VALUE, (long) maxFrameLength + LENGTH_BYTES),
        0,
        LENGTH_BYTES,
        0,
        LENGTH_BYTES,
        true);
    this.maxFrameLength = maxFrameLength;
  }

  @Override
  protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
    long declared = buf.getUnsignedInt(offset);
    if (declared == 0) {
      throw new ProtocolException(
          ProtocolError.EMPTY_FRAME, "frame length 0 (expected: 1 to " + maxFrameLength + ")");
    }
    if (declared > maxFrameLength) {
      throw new ProtocolException(
          ProtocolError.FRAME_TOO_LONG,
          "frame length " + declared + " (expected: 1 to " + maxFrameLength + ")");
    }
    return declared;
  }
}
