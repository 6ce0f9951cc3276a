package io.ebsockets.netty;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EventTooLongException;
import io.ebsockets.spi.DecodedValues;
import io.ebsockets.spi.WireProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Wire protocol v1 payloads: {@code {"type": "...", "data": {...}}} in UTF-8 JSON, read straight
 * from a frame's {@link ByteBuf} and written, after a 4-byte length, into one buffer that a
 * broadcast shares between all its recipients.
 *
 * <p>Decoding is strict: the payload must be valid UTF-8 (checked explicitly, so Jackson never
 * guesses UTF-16 or UTF-32), one JSON object with a non-empty string {@code type} and an object
 * or null {@code data}, with no duplicate keys anywhere and nothing after it. Each failure is a
 * {@link ProtocolException} with its code.
 */
final class EventCodec {
  /** The deepest nesting of objects and arrays, the payload object being level 1. */
  static final int MAX_NESTING_DEPTH = WireProtocol.MAX_NESTING_DEPTH;
  /** The most characters of one JSON number. */
  static final int MAX_NUMBER_LENGTH = 100;
  /** The top-level member that marks a request, holding its id. */
  static final String REQUEST_MEMBER = "ebsockets.request";
  /** The top-level member that marks a reply, holding the id of the request it answers. */
  static final String REPLY_MEMBER = "ebsockets.reply";
  /** The largest request id: 2^53 - 1, so that a JavaScript peer reads every id exactly. */
  static final long MAX_REQUEST_ID = WireProtocol.MAX_REQUEST_ID;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  .build())
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  /** The parts of Jackson's messages that speak of the parser, not of the payload. */
  private static final Pattern START_MARKER =
      Pattern.compile("\\s*\\(start marker at \\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]\\)");
  private static final Pattern SOURCE = Pattern.compile("\\s*\\[Source: [^\\]]*\\]");
  private static final Pattern FROM_CONSTRAINTS = Pattern.compile(", from `[^`]*`");

  private static final Map<String, Object> EMPTY_OBJECT = DecodedValues.map(new LinkedHashMap<>());
  private static final List<Object> EMPTY_ARRAY = DecodedValues.list(new ArrayList<>());

  /** The largest payload copied into a thread's reusable array; longer ones get their own. */
  private static final int MAX_SCRATCH_BYTES = 64 << 10;

  private static final FastThreadLocal<byte[]> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[4096];
        }
      };

  private EventCodec() {}

  // ---------------------------------------------------------------------------------- decoding

  /**
   * Decodes one frame's payload.
   *
   * @return a {@link DecodedEvent}, or a {@link ControlFrame} for {@code ebsockets.*} types
   * @throws ProtocolException if the payload breaks the protocol
   */
  static Object decode(ByteBuf payload) {
    int length = payload.readableBytes();
    if (length == 0) {
      throw new ProtocolException(ProtocolError.EMPTY_FRAME, "frame length 0 (expected: >= 1)");
    }
    if (!ByteBufUtil.isText(payload, StandardCharsets.UTF_8)) {
      throw new ProtocolException(
          ProtocolError.INVALID_UTF8, "payload is not valid UTF-8 (expected: UTF-8 JSON)");
    }
    rejectLeadingNul(payload);
    try (JsonParser parser = parserFor(payload)) {
      return readPayload(parser, length, new Cost(length));
    } catch (JsonProcessingException e) {
      throw new ProtocolException(
          ProtocolError.INVALID_JSON,
          "payload is not valid JSON" + where(e) + ": " + problem(e)
              + " (expected: one JSON object, at most " + MAX_NESTING_DEPTH + " levels deep)");
    } catch (IOException e) {
      throw new UncheckedIOException("reading a buffer in memory failed", e);
    }
  }

  /**
   * A NUL byte among the first four is what makes Jackson's encoding detection pick UTF-16 or
   * UTF-32; a JSON text never has one there (raw control characters are not JSON anywhere).
   */
  private static void rejectLeadingNul(ByteBuf payload) {
    int end = payload.readerIndex() + Math.min(4, payload.readableBytes());
    if (payload.indexOf(payload.readerIndex(), end, (byte) 0) >= 0) {
      throw new ProtocolException(
          ProtocolError.INVALID_JSON, "payload has a NUL byte (expected: UTF-8 JSON text)");
    }
  }

  /**
   * A parser over the payload's bytes. A direct buffer is copied into a per-thread array first:
   * Jackson's array parser skips the stream bootstrap (encoding detection, a stream wrapper and
   * its context) that an {@code InputStream} costs on every frame, and the copy of a chat-sized
   * frame is cheaper than those allocations.
   */
  private static JsonParser parserFor(ByteBuf payload) throws IOException {
    int length = payload.readableBytes();
    if (payload.hasArray()) {
      return JSON.createParser(
          payload.array(), payload.arrayOffset() + payload.readerIndex(), length);
    }
    byte[] bytes = length <= MAX_SCRATCH_BYTES ? scratch(length) : new byte[length];
    payload.getBytes(payload.readerIndex(), bytes, 0, length);
    return JSON.createParser(bytes, 0, length);
  }

  /** This thread's array for copying payloads, grown as needed up to {@link #MAX_SCRATCH_BYTES}. */
  private static byte[] scratch(int length) {
    byte[] bytes = SCRATCH.get();
    if (bytes.length < length) {
      bytes = new byte[Math.min(MAX_SCRATCH_BYTES, Math.max(length, bytes.length * 2))];
      SCRATCH.set(bytes);
    }
    return bytes;
  }

  private static Object readPayload(JsonParser parser, int length, Cost cost)
      throws IOException {
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw new ProtocolException(
          ProtocolError.NOT_AN_OBJECT,
          "payload is only whitespace (expected: a JSON object)");
    }
    if (token != JsonToken.START_OBJECT) {
      throw new ProtocolException(
          ProtocolError.NOT_AN_OBJECT,
          "payload is " + describe(token) + " (expected: a JSON object)");
    }
    String type = null;
    Map<String, Object> data = null;
    long requestId = 0;
    long replyTo = 0;
    int seenKnown = 0; // one bit per known member: no set to allocate for the usual payload
    Set<String> seenOthers = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = wellFormed(parser.currentName());
      int bit = knownMemberBit(name);
      boolean duplicate;
      if (bit != 0) {
        duplicate = (seenKnown & bit) != 0;
        seenKnown |= bit;
      } else {
        seenOthers = seenOthers == null ? new HashSet<>(4) : seenOthers;
        duplicate = !seenOthers.add(name);
      }
      if (duplicate) {
        throw duplicateKey(name);
      }
      JsonToken value = parser.nextToken();
      switch (name) {
        case "type" -> type = readType(parser, value);
        case "data" -> data = readData(parser, value, cost);
        case REQUEST_MEMBER -> requestId = readRequestId(parser, value, name);
        case REPLY_MEMBER -> replyTo = readRequestId(parser, value, name);
        default -> readValue(parser, value, cost); // other members are ignored, but must be valid
      }
    }
    if (type == null) {
      throw new ProtocolException(
          ProtocolError.MISSING_TYPE, "payload has no \"type\" (expected: a non-empty string)");
    }
    rejectTrailing(parser);
    if (data == null) {
      data = Collections.emptyMap();
    }
    return type.startsWith(EbsocketEvent.RESERVED_PREFIX)
        ? new ControlFrame(type, data)
        : new DecodedEvent(type, data, length, cost.charge(), requestId, replyTo);
  }

  private static int knownMemberBit(String name) {
    return switch (name) {
      case "type" -> 1;
      case "data" -> 2;
      case REQUEST_MEMBER -> 4;
      case REPLY_MEMBER -> 8;
      default -> 0;
    };
  }

  private static long readRequestId(JsonParser parser, JsonToken token, String member)
      throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT
        && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      long id = parser.getLongValue();
      if (id >= 1 && id <= MAX_REQUEST_ID) {
        return id;
      }
    }
    String actual = token == JsonToken.VALUE_NUMBER_INT ? parser.getText() : describe(token);
    parser.skipChildren();
    throw new ProtocolException(
        ProtocolError.INVALID_REQUEST_ID,
        "\"" + member + "\" is " + abbreviate(actual) + " (expected: an integer from 1 to "
            + MAX_REQUEST_ID + ")");
  }

  private static String readType(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.VALUE_STRING) {
      parser.skipChildren();
      throw new ProtocolException(
          ProtocolError.INVALID_TYPE,
          "\"type\" is " + describe(token) + " (expected: a non-empty string)");
    }
    String type = wellFormed(parser.getText());
    if (type.isEmpty()) {
      throw new ProtocolException(
          ProtocolError.INVALID_TYPE, "\"type\" is empty (expected: a non-empty string)");
    }
    return type;
  }

  private static Map<String, Object> readData(JsonParser parser, JsonToken token, Cost cost)
      throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return Collections.emptyMap();
    }
    if (token != JsonToken.START_OBJECT) {
      throw new ProtocolException(
          ProtocolError.INVALID_DATA,
          "\"data\" is " + describe(token) + " (expected: an object or null)");
    }
    return readObject(parser, cost);
  }

  private static void rejectTrailing(JsonParser parser) throws IOException {
    JsonToken next;
    try {
      next = parser.nextToken();
    } catch (JsonProcessingException e) {
      next = JsonToken.NOT_AVAILABLE;
    }
    if (next != null) {
      throw new ProtocolException(
          ProtocolError.TRAILING_DATA,
          "bytes after the payload object (expected: exactly one JSON object per frame)");
    }
  }

  private static Object readValue(JsonParser parser, JsonToken token, Cost cost)
      throws IOException {
    return switch (token) {
      case VALUE_STRING -> cost.string(wellFormed(parser.getText()));
      case VALUE_NUMBER_INT -> cost.number(readInteger(parser));
      case VALUE_NUMBER_FLOAT -> cost.number(finite(parser.getDoubleValue()));
      case VALUE_TRUE -> true;
      case VALUE_FALSE -> false;
      case VALUE_NULL -> null;
      case START_OBJECT -> readObject(parser, cost);
      case START_ARRAY -> readArray(parser, cost);
      default -> throw new ProtocolException(
          ProtocolError.INVALID_JSON, "unexpected " + describe(token) + " (expected: a value)");
    };
  }

  /**
   * Rejects a string with a lone UTF-16 surrogate (JSON lets one be written as {@code \\ud800}):
   * relayed, it would be re-encoded as an escape that strict JSON parsers of other languages
   * refuse, so it is refused here, where the peer can be told.
   */
  private static String wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++; // a pair: one character outside the Basic Multilingual Plane
        } else {
          throw new ProtocolException(
              ProtocolError.INVALID_JSON,
              String.format(Locale.ROOT, "a string has a lone UTF-16 surrogate \\u%04x at index %d"
                  + " (expected: Unicode text; surrogates only in pairs)", (int) c, i));
        }
      }
    }
    return s;
  }

  /** Integers become Integer or Long by size, as built events do; larger ones a Double. */
  private static Object readInteger(JsonParser parser) throws IOException {
    switch (parser.getNumberType()) {
      case INT -> {
        return parser.getIntValue();
      }
      case LONG -> {
        long value = parser.getLongValue();
        int narrow = (int) value;
        return narrow == value ? (Object) narrow : (Object) value;
      }
      default -> {
        BigInteger big = parser.getBigIntegerValue();
        return big.bitLength() < Long.SIZE ? (Object) big.longValue() : finite(big.doubleValue());
      }
    }
  }

  private static Double finite(double value) {
    if (!Double.isFinite(value)) {
      throw new ProtocolException(
          ProtocolError.INVALID_DATA,
          "number out of range (expected: a number that fits a 64-bit double)");
    }
    return value;
  }

  /**
   * Reads an object into the unmodifiable, insertion-ordered map an {@link EbsocketEvent} holds
   * ({@link DecodedValues}), so that the event is built around it, and a relay that sends it on
   * again, without a copy ({@link io.ebsockets.spi.ChannelSink#receivedNormalised}).
   */
  private static Map<String, Object> readObject(JsonParser parser, Cost cost)
      throws IOException {
    JsonToken token = parser.nextToken();
    if (token == JsonToken.END_OBJECT) {
      cost.add(Cost.REFERENCE);
      return EMPTY_OBJECT; // one shared instance: `{}` costs a reference, not a map
    }
    cost.add(Cost.MAP);
    LinkedHashMap<String, Object> map = new LinkedHashMap<>(8);
    for (; token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
      String key = wellFormed(parser.currentName()); // canonical: Jackson shares field names
      cost.add(Cost.MAP_ENTRY);
      Object value = readValue(parser, parser.nextToken(), cost);
      int before = map.size();
      map.put(key, value);
      if (map.size() == before) {
        throw duplicateKey(key);
      }
    }
    expectEnd(token, JsonToken.END_OBJECT);
    return DecodedValues.map(map);
  }

  /** Reads an array into an unmodifiable list, as {@link #readObject} does for objects. */
  private static List<Object> readArray(JsonParser parser, Cost cost) throws IOException {
    JsonToken token = parser.nextToken();
    if (token == JsonToken.END_ARRAY) {
      cost.add(Cost.REFERENCE);
      return EMPTY_ARRAY;
    }
    cost.add(Cost.LIST);
    ArrayList<Object> list = new ArrayList<>();
    for (; token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token == null) {
        expectEnd(null, JsonToken.END_ARRAY);
      }
      cost.add(Cost.LIST_SLOT);
      list.add(readValue(parser, token, cost));
    }
    return DecodedValues.list(list);
  }

  private static void expectEnd(JsonToken token, JsonToken expected) {
    if (token != expected) {
      throw new ProtocolException(
          ProtocolError.INVALID_JSON,
          "unexpected " + describe(token) + " (expected: " + describe(expected) + ")");
    }
  }

  /**
   * What a payload's values will cost the heap once decoded, estimated as they are built (64-bit
   * JVM, compressed references). It is what an accepted event counts against the inbound
   * allowance, instead of its wire size, so that the allowance bounds the heap: an array of
   * small objects costs about 20 times its JSON, at most about 30 (a megabyte of {@code
   * [{"":0},...]}). {@code {}} and {@code []} decode to shared empty instances, so a megabyte
   * of {@code [{},{},...]} costs about five times its length, not forty.
   */
  static final class Cost {
    static final int REFERENCE = 8;
    /** A LinkedHashMap with its first table, and its unmodifiable view. */
    static final int MAP = 128;
    /** An entry, and its share of the table. */
    static final int MAP_ENTRY = 52;
    /** An ArrayList with its first array, and its unmodifiable view. */
    static final int LIST = 64;
    /** A reference in the array, with room for growth. */
    static final int LIST_SLOT = 6;
    private static final int STRING = 40;
    private static final int BOXED = 24;

    private final int payloadLength;
    private long bytes;

    Cost(int payloadLength) {
      this.payloadLength = payloadLength;
    }

    void add(long more) {
      bytes += more;
    }

    String string(String s) {
      add(STRING + 2L * s.length());
      return s;
    }

    Object number(Object n) {
      add(BOXED);
      return n;
    }

    /** What the decoded event costs, at least its payload's length: what the allowance counts. */
    int charge() {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(payloadLength, bytes));
    }
  }

  private static ProtocolException duplicateKey(String key) {
    return new ProtocolException(
        ProtocolError.DUPLICATE_KEY,
        "key \"" + abbreviate(key) + "\" appears twice in one object (expected: unique keys)");
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "the end of the payload";
    }
    return switch (token) {
      case START_ARRAY -> "an array";
      case START_OBJECT -> "an object";
      case END_OBJECT -> "the end of an object";
      case END_ARRAY -> "the end of an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> token.toString();
    };
  }

  /** A peer's text for a message: at most 40 characters, control characters escaped. */
  private static String abbreviate(String s) {
    return Failures.printable(s.length() <= 40 ? s : s.substring(0, 37) + "...");
  }

  /**
   * Jackson's account of a JSON error in the protocol's terms: without the parser's internals
   * (the names of its limits, its notes on source locations), on one line, escaped.
   */
  private static String problem(JsonProcessingException e) {
    String message = String.valueOf(e.getOriginalMessage());
    message = START_MARKER.matcher(message).replaceAll(" (opened at line $1, column $2)");
    message = SOURCE.matcher(message).replaceAll("");
    message = FROM_CONSTRAINTS.matcher(message).replaceAll("").replace('`', '\'');
    int newline = message.indexOf('\n');
    return Failures.printable(newline < 0 ? message : message.substring(0, newline));
  }

  /** Where in the payload a JSON error is, as " at line L, column C", or empty if unknown. */
  private static String where(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? ""
        : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  // ---------------------------------------------------------------------------------- encoding

  /**
   * Encodes an application event as one frame: length, then payload.
   *
   * @throws IllegalArgumentException if the payload would be longer than {@code maxFrameLength}
   */
  static ByteBuf encode(ByteBufAllocator alloc, EbsocketEvent event, int maxFrameLength) {
    return encode(alloc, event, 0, 0, maxFrameLength, "the max frame length");
  }

  /**
   * Encodes an application event as one frame, with its request/reply ids (0 for none), failing
   * if it is longer than {@code limit}, which {@code limitName} describes in the message.
   */
  static ByteBuf encode(
      ByteBufAllocator alloc,
      EbsocketEvent event,
      long requestId,
      long replyTo,
      int limit,
      String limitName) {
    return encode(alloc, event.type(), event.data(), requestId, replyTo, limit, limitName);
  }

  /** Encodes one of the transport's own control events as one frame; they are small: no limit. */
  static ByteBuf encode(ByteBufAllocator alloc, ControlFrame frame) {
    return encode(
        alloc, frame.type(), frame.data(), 0, 0, Integer.MAX_VALUE - FrameDecoder.LENGTH_BYTES,
        "the largest frame length");
  }

  private static ByteBuf encode(
      ByteBufAllocator alloc,
      String type,
      Map<String, ?> data,
      long requestId,
      long replyTo,
      int maxFrameLength,
      String limitName) {
    ByteBuf frame = alloc.buffer();
    boolean done = false;
    try {
      frame.writeInt(0);
      try (JsonGenerator generator =
          JSON.createGenerator(
              new BoundedOutput(frame, type, maxFrameLength, limitName), JsonEncoding.UTF8)) {
        generator.writeStartObject();
        generator.writeStringField("type", type);
        generator.writeFieldName("data");
        writeValue(generator, data);
        if (requestId != 0) {
          generator.writeNumberField(REQUEST_MEMBER, requestId);
        }
        if (replyTo != 0) {
          generator.writeNumberField(REPLY_MEMBER, replyTo);
        }
        generator.writeEndObject();
      }
      frame.setInt(0, frame.readableBytes() - FrameDecoder.LENGTH_BYTES);
      done = true;
      return frame;
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a buffer in memory failed", e);
    } finally {
      if (!done) {
        frame.release();
      }
    }
  }

  /**
   * A double as the shortest JSON number that reads back as the same double and as a double (it
   * has a point or an exponent): {@code 9e6}, not Java's {@code 9000000.0}; {@code 1.5e-7}, not
   * {@code 1.5E-7}; {@code 0.5}. So relaying what a peer sent never makes it longer than it
   * came, whatever notation it used — a 420 KB frame of {@code 9e6}s must not become 1 MiB.
   */
  static String shortest(double value) {
    BigDecimal exact = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    String plain = exact.toPlainString();
    if (plain.indexOf('.') < 0) {
      plain = plain + ".0";
    }
    String digits = exact.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - exact.scale();
    String scientific =
        (exact.signum() < 0 ? "-" : "")
            + (digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1))
            + "e"
            + exponent;
    return scientific.length() < plain.length() ? scientific : plain;
  }

  private static void writeValue(JsonGenerator generator, Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof String s) {
      generator.writeString(s);
    } else if (value instanceof Integer i) {
      generator.writeNumber(i);
    } else if (value instanceof Long l) {
      generator.writeNumber(l);
    } else if (value instanceof Double d) {
      generator.writeNumber(shortest(d));
    } else if (value instanceof Boolean b) {
      generator.writeBoolean(b);
    } else if (value instanceof Map<?, ?> map) {
      generator.writeStartObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        generator.writeFieldName((String) entry.getKey());
        writeValue(generator, entry.getValue());
      }
      generator.writeEndObject();
    } else if (value instanceof List<?> list) {
      generator.writeStartArray();
      for (Object element : list) {
        writeValue(generator, element);
      }
      generator.writeEndArray();
    } else {
      // EbsocketEvent normalises its data, so this means a bug, not bad input.
      throw new IllegalStateException("not a normalised event value: " + value.getClass());
    }
  }

  /** Writes into the frame and fails as soon as the payload passes the max frame length. */
  private static final class BoundedOutput extends OutputStream {
    private final ByteBuf frame;
    private final String type;
    private final long limit;
    private final String limitName;

    BoundedOutput(ByteBuf frame, String type, int maxFrameLength, String limitName) {
      this.frame = frame;
      this.type = type;
      this.limitName = limitName;
      this.limit = (long) maxFrameLength + FrameDecoder.LENGTH_BYTES;
    }

    @Override
    public void write(int b) {
      check(1);
      frame.writeByte(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      check(length);
      frame.writeBytes(bytes, offset, length);
    }

    private void check(int more) {
      long total = (long) frame.readableBytes() + more;
      if (total > limit) {
        throw new EventTooLongException(
            "event "
                + type
                + ": encoded payload is over "
                + (total - FrameDecoder.LENGTH_BYTES)
                + " bytes (expected: at most "
                + limitName
                + " "
                + (limit - FrameDecoder.LENGTH_BYTES)
                + ")");
      }
    }
  }
}
