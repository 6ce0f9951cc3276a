package io.ebsockets.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
    for (String payload : payloads(channel)) {
      Matcher type = TYPE.matcher(payload);
      types.add(type.find() ? type.group(1) : "?");
    }
    return types.toString();
  }

  /**
   * Reads (and releases) every frame written so far.
   *
   * @return their payloads in order, as text
   */
  static List<String> payloads(EmbeddedChannel channel) {
    List<String> payloads = new ArrayList<>();
    ByteBuf out;
    while ((out = channel.readOutbound()) != null) {
      try {
        while (out.isReadable()) {
          payloads.add(out.readCharSequence(out.readInt(), StandardCharsets.UTF_8).toString());
        }
      } finally {
        out.release();
      }
    }
    return payloads;
  }
}
