package io.ebsockets.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an {@link EmbeddedChannel} wrote to its "socket", read back for handler tests. */
final class OutboundFrames {
  private static final Pattern TYPE = Pattern.compile("\"type\":\"([^\"]*)\"");

  private OutboundFrames() {}

  /**
   * Reads (and releases) every frame written so far.
   *
   * @return their event types in order, separated by spaces; empty if nothing was written
   */
  static String types(EmbeddedChannel channel) {
    StringJoiner types = new StringJoiner(" ");
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      try {
        while (out.isReadable()) {
          Matcher type =
              TYPE.matcher(out.readCharSequence(out.readInt(), StandardCharsets.UTF_8));
          types.add(type.find() ? type.group(1) : "?");
        }
      } finally {
        out.release();
      }
    }
    return types.toString();
  }
}
