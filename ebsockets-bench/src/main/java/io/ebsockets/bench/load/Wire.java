package io.ebsockets.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Builds and reads load frames without JSON trees. A load message is a relay {@code message}
 * whose content carries {@code L|sender|seq|sendNanos|padding}: what the relay sends back is
 * exactly {@code {"type":"message","data":{"content":"L|..."}}}, so a receiver finds the fields
 * at a fixed offset.
 */
public final class Wire {
  private static final byte[] PREFIX =
      "{\"type\":\"message\",\"data\":{\"content\":\"L|".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SUFFIX = "\"}}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PING =
      "{\"type\":\"ebsockets.ping\"".getBytes(StandardCharsets.US_ASCII);

  private Wire() {}

  /** Writes one framed load message. */
  public static ByteBuf loadFrame(ByteBufAllocator alloc, int sender, long seq, long sendNanos,
      int padding) {
    ByteBuf buf = alloc.buffer(64 + padding);
    buf.writeInt(0);
    buf.writeBytes(PREFIX);
    writeLong(buf, sender);
    buf.writeByte('|');
    writeLong(buf, seq);
    buf.writeByte('|');
    writeLong(buf, sendNanos);
    buf.writeByte('|');
    for (int i = 0; i < padding; i++) {
      buf.writeByte('x');
    }
    buf.writeBytes(SUFFIX);
    buf.setInt(0, buf.readableBytes() - 4);
    return buf;
  }

  /** Writes one frame of JSON text. */
  public static ByteBuf textFrame(ByteBufAllocator alloc, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return alloc.buffer(4 + bytes.length).writeInt(bytes.length).writeBytes(bytes);
  }

  private static void writeLong(ByteBuf buf, long value) {
    if (value < 0) {
      buf.writeByte('-');
      value = -value;
    }
    if (value >= 10) {
      writeLong(buf, value / 10);
    }
    buf.writeByte((int) ('0' + value % 10));
  }

  /**
   * Reads the fields of a load message in place.
   *
   * @param out receives sender, seq, sendNanos
   * @return false if the payload is not a load message
   */
  static boolean readLoad(ByteBuf buf, int start, int length, long[] out) {
    if (length < PREFIX.length || !startsWith(buf, start, PREFIX)) {
      return false;
    }
    int at = start + PREFIX.length;
    int end = start + length;
    for (int field = 0; field < 3; field++) {
      long value = 0;
      boolean negative = false;
      byte b;
      while (at < end && (b = buf.getByte(at++)) != '|') {
        if (b == '-') {
          negative = true;
        } else {
          value = value * 10 + (b - '0');
        }
      }
      out[field] = negative ? -value : value;
    }
    return true;
  }

  static boolean isPing(ByteBuf buf, int start, int length) {
    return length >= PING.length && startsWith(buf, start, PING);
  }

  private static boolean startsWith(ByteBuf buf, int start, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (buf.getByte(start + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
