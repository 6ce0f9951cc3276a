package io.ebsockets;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One cross-node message as it travels on the bus: a header line naming the sender and its
 * place in the sender's stream, then the event as JSON.
 *
 * <pre>
 *   E chat-1 8231907261 42 17\n{"type":"message","data":{"content":"hi"}}
 *   | |      |          |  `- the recipient's local id on a node channel, '-' elsewhere
 *   | |      |          `---- sequence of this sender on this channel, from 1
 *   | |      `--------------- the sender's epoch (new at every start)
 *   | `---------------------- the sender's node id
 *   `------------------------ E: an event; P: a probe (no event follows)
 * </pre>
 *
 */
final class BusEnvelope {
  static final char EVENT = 'E';
  static final char PROBE = 'P';
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final char kind;
  private final String node;
  private final long epoch;
  private final long seq;
  private final long target;
  private final byte[] body;

  private BusEnvelope(char kind, String node, long epoch, long seq, long target, byte[] body) {
    this.kind = kind;
    this.node = node;
    this.epoch = epoch;
    this.seq = seq;
    this.target = target;
    this.body = body;
  }

  char kind() {
    return kind;
  }

  String node() {
    return node;
  }

  long epoch() {
    return epoch;
  }

  long seq() {
    return seq;
  }

  long target() {
    return target;
  }

  /** Encodes an event once, for every node that will receive it. */
  static byte[] encode(char kind, String node, long epoch, long seq, long target, EbsocketEvent e) {
    String header =
        kind + " " + node + " " + epoch + " " + seq + " " + (target < 0 ? "-" : target) + "\n";
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    if (e == null) {
      return head;
    }
    Map<String, Object> payload = new LinkedHashMap<>(4);
    payload.put("type", e.type());
    payload.put("data", e.data());
    byte[] json;
    try {
      json = EventValues.MAPPER.writeValueAsBytes(payload);
    } catch (IOException ex) {
      throw new UncheckedIOException("encoding " + e + " for the cluster bus", ex);
    }
    byte[] out = new byte[head.length + json.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(json, 0, out, head.length, json.length);
    return out;
  }

  /**
   * Reads a message.
   *
   * @throws IllegalArgumentException naming what is wrong, for a message no node of this
   *     version wrote
   */
  static BusEnvelope decode(byte[] message) {
    int newline = indexOf(message, (byte) '\n');
    if (newline < 0) {
      throw bad("a header line", message);
    }
    String[] f = new String(message, 0, newline, StandardCharsets.US_ASCII).split(" ", -1);
    if (f.length != 5 || f[0].length() != 1 || (f[0].charAt(0) != EVENT && f[0].charAt(0) != PROBE)) {
      throw bad("a header of 5 fields starting with E or P", message);
    }
    try {
      byte[] body = new byte[message.length - newline - 1];
      System.arraycopy(message, newline + 1, body, 0, body.length);
      return new BusEnvelope(
          f[0].charAt(0),
          ConnectionId.checkNodeId(f[1], "node"),
          Long.parseLong(f[2]),
          Long.parseLong(f[3]),
          f[4].equals("-") ? -1 : Long.parseLong(f[4]),
          body);
    } catch (IllegalArgumentException e) {
      throw bad("numbers and a node id in the header (" + e.getMessage() + ")", message);
    }
  }

  /** The event carried; built as an application would build it. */
  EbsocketEvent event() {
    try {
      Map<String, Object> payload = EventValues.MAPPER.readValue(body, MAP);
      Object type = payload.get("type");
      Object data = payload.get("data");
      if (!(type instanceof String t) || (data != null && !(data instanceof Map))) {
        throw new IllegalArgumentException(
            "cluster message from " + node + ": " + payload.keySet()
                + " (expected: a string type and a data object)");
      }
      @SuppressWarnings("unchecked") // a JSON object read by Jackson has string keys
      Map<String, Object> values = data == null ? Map.of() : (Map<String, Object>) data;
      return new EbsocketEvent(t, values);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cluster message from " + node + ": not JSON (" + e.getMessage() + ")", e);
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < Math.min(bytes.length, 256); i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static IllegalArgumentException bad(String expected, byte[] message) {
    String start =
        new String(message, 0, Math.min(message.length, 60), StandardCharsets.US_ASCII);
    return new IllegalArgumentException(
        "cluster message '" + start + "' (expected: " + expected + ")");
  }
}
