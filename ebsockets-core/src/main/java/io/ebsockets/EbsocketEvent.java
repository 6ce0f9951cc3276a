package io.ebsockets;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An event: a type string plus key/value data. Immutable and safe to share between threads.
 *
 * <pre>{@code
 * EbsocketEvent hello = new EbsocketEvent("message").with("content", "hi");
 * hello.compareType("message");   // true
 * hello.getString("content");     // "hi"
 * hello.toString();               // EbsocketEvent<message>{content=hi}
 * }</pre>
 *
 * <p>Data values are normalised when the event is built to the plain Java values JSON carries:
 * {@code String}, {@code Integer} or {@code Long} (by size), {@code Double}, {@code Boolean},
 * {@code List}, {@code Map} with string keys, or {@code null}. Other numbers, enums, arrays,
 * records and beans are converted (with Jackson) to those. So an event that was sent equals the
 * event that is received: {@link #equals} compares type and data only, never {@link #source()}.
 *
 * <p>Types that start with {@value #RESERVED_PREFIX} belong to the library's own control events
 * and cannot be built by applications.
 */
public final class EbsocketEvent {
  /** The prefix of the library's own control event types, which applications cannot use. */
  public static final String RESERVED_PREFIX = "ebsockets.";

  private static final TypeReference<Map<String, Object>> DATA_MAP = new TypeReference<>() {};

  private final String type;
  private final Map<String, Object> data;
  private final EbsocketConnection source;
  /**
   * What a received event counts against the inbound allowance: the size of the frame it came
   * in, or what its decoded values cost if the transport says so; 0 for events built locally.
   */
  private final int frameBytes;
  /** The id the peer gave this event as a request, to be echoed in the reply; 0 if none. */
  private final long requestId;

  /**
   * Creates an event.
   *
   * @param type the event type: not empty, not starting with {@value #RESERVED_PREFIX}
   * @param data the key/value data, copied and normalised; null means no data
   * @throws IllegalArgumentException if the type is empty or reserved, or a value cannot be
   *     carried as JSON (NaN, an unconvertible object, cyclic data)
   * @throws NullPointerException if {@code type} is null
   */
  public EbsocketEvent(String type, Map<String, ?> data) {
    this(checkType(type), EventValues.normaliseData(data), null);
  }

  /**
   * Creates an event with no data.
   *
   * @param type the event type: not empty, not starting with {@value #RESERVED_PREFIX}
   * @throws IllegalArgumentException if the type is empty or reserved
   * @throws NullPointerException if {@code type} is null
   */
  public EbsocketEvent(String type) {
    this(checkType(type), Collections.emptyMap(), null);
  }

  private EbsocketEvent(String type, Map<String, Object> data, EbsocketConnection source) {
    this(type, data, source, 0);
  }

  private EbsocketEvent(
      String type, Map<String, Object> data, EbsocketConnection source, int frameBytes) {
    this(type, data, source, frameBytes, 0);
  }

  private EbsocketEvent(
      String type,
      Map<String, Object> data,
      EbsocketConnection source,
      int frameBytes,
      long requestId) {
    this.type = type;
    this.data = data;
    this.source = source;
    this.frameBytes = frameBytes;
    this.requestId = requestId;
  }

  /**
   * Creates an event whose data is a record or bean, converted with Jackson to its properties.
   *
   * <pre>{@code
   * record Move(int x, int y) {}
   * EbsocketEvent move = EbsocketEvent.fromObject("move", new Move(3, 4)); // move{x=3, y=4}
   * }</pre>
   *
   * @param type the event type: not empty, not starting with {@value #RESERVED_PREFIX}
   * @param value an object that converts to a JSON object (a record, bean or map)
   * @return the event
   * @throws IllegalArgumentException if the type is empty or reserved, or the value does not
   *     convert to a JSON object
   */
  public static EbsocketEvent fromObject(String type, Object value) {
    checkType(type);
    Objects.requireNonNull(value, "value");
    Map<String, Object> map;
    try {
      map = EventValues.MAPPER.convertValue(value, DATA_MAP);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "value: a "
              + value.getClass().getName()
              + " (expected: a record, bean or map that converts to a JSON object)",
          e);
    }
    return new EbsocketEvent(type, map);
  }

  /**
   * Returns a copy of this event that knows which connection and frame it came in, and the
   * request id the peer gave it (0 if it is not a request).
   */
  EbsocketEvent received(EbsocketConnection connection, int frameBytes, long requestId) {
    return new EbsocketEvent(type, data, connection, frameBytes, requestId);
  }

  /**
   * A received event built around data a transport decoded into normalised, unmodifiable values
   * (the contract of {@link io.ebsockets.spi.ChannelSink#receivedNormalised}): no copy, no check.
   */
  static EbsocketEvent receivedNormalised(
      String type,
      Map<String, Object> data,
      EbsocketConnection connection,
      int frameBytes,
      long requestId) {
    return new EbsocketEvent(type, data, connection, frameBytes, requestId);
  }

  long requestId() {
    return requestId;
  }

  /**
   * Tells whether the peer sent this event as a request and waits for a reply: answer it with
   * {@link EbsocketSystem#reply} on a server or {@link EbsocketClient#reply} on a client.
   *
   * @return true for a received request; false for other events and for events built locally
   */
  public boolean isRequest() {
    return requestId != 0;
  }

  EbsocketConnection sourceOrNull() {
    return source;
  }

  int chargedBytes() {
    return frameBytes;
  }

  /**
   * Returns a new event with {@code key} set to {@code value}; this event is unchanged.
   *
   * @param key the data key
   * @param value the value, normalised as described in the class documentation
   * @return the new event, without a {@link #source()}
   * @throws IllegalArgumentException if the value cannot be carried as JSON
   */
  public EbsocketEvent with(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Map<String, Object> copy = new LinkedHashMap<>(capacityFor(data.size() + 1));
    copy.putAll(data);
    copy.put(key, EventValues.normaliseDataValue(key, value));
    return new EbsocketEvent(type, Collections.unmodifiableMap(copy), null);
  }

  /** A hash map capacity that holds {@code entries} without resizing. */
  private static int capacityFor(int entries) {
    return (int) Math.ceil(entries / 0.75);
  }

  /**
   * Binds this event's data to a record or bean with Jackson. Keys the target does not know are
   * ignored.
   *
   * @param <T> the target type
   * @param target the class to bind to
   * @return a new instance holding the data
   * @throws IllegalArgumentException if the data does not fit the target
   */
  public <T> T as(Class<T> target) {
    try {
      return EventValues.MAPPER.convertValue(data, target);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot bind the data of " + this + " to " + target.getName() + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * Returns the event type.
   *
   * @return the type, never empty
   */
  public String type() {
    return type;
  }

  /**
   * Returns the data.
   *
   * @return an unmodifiable map, in the order the keys were added or received
   */
  public Map<String, Object> data() {
    return data;
  }

  /**
   * Tells whether this event has the given type (the seed's {@code compare_type}).
   *
   * @param type the type to compare with
   * @return true if the types are equal
   */
  public boolean compareType(String type) {
    return this.type.equals(type);
  }

  /**
   * Returns the connection this event came from (the seed's {@code from_connection}).
   *
   * @return the connection for events a server received; empty for events built locally and for
   *     events a client received
   */
  public Optional<EbsocketConnection> source() {
    return Optional.ofNullable(source);
  }

  /**
   * Returns a data value as the plain Java value described in the class documentation.
   *
   * @param key the data key
   * @return the value, or null if the key is absent or its value is null
   */
  public Object getAttribute(String key) {
    return data.get(key);
  }

  /**
   * Returns a string value.
   *
   * @param key the data key
   * @return the value
   * @throws EventDataException if the key is absent or its value is not a string
   */
  public String getString(String key) {
    Object value = present(key, "String");
    if (value instanceof String s) {
      return s;
    }
    throw mismatch(key, "String", value);
  }

  /**
   * Returns an integer value that fits in an {@code int}.
   *
   * @param key the data key
   * @return the value
   * @throws EventDataException if the key is absent or its value is not an integer in int range
   */
  public int getInt(String key) {
    Object value = present(key, "int");
    if (value instanceof Integer i) {
      return i;
    }
    throw mismatch(key, "int", value);
  }

  /**
   * Returns an integer value.
   *
   * @param key the data key
   * @return the value
   * @throws EventDataException if the key is absent or its value is not an integer
   */
  public long getLong(String key) {
    Object value = present(key, "long");
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw mismatch(key, "long", value);
  }

  /**
   * Returns a number as a {@code double}; integers are widened, since many JSON writers send
   * {@code 3.0} as {@code 3}.
   *
   * @param key the data key
   * @return the value
   * @throws EventDataException if the key is absent or its value is not a number
   */
  public double getDouble(String key) {
    Object value = present(key, "double");
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw mismatch(key, "double", value);
  }

  /**
   * Returns a boolean value.
   *
   * @param key the data key
   * @return the value
   * @throws EventDataException if the key is absent or its value is not a boolean
   */
  public boolean getBoolean(String key) {
    Object value = present(key, "boolean");
    if (value instanceof Boolean b) {
      return b;
    }
    throw mismatch(key, "boolean", value);
  }

  private Object present(String key, String expected) {
    Object value = data.get(key);
    if (value == null && !data.containsKey(key)) {
      throw new EventDataException(
          "data key '" + key + "' of " + type + " event: absent (expected: " + expected + ")");
    }
    return value;
  }

  private EventDataException mismatch(String key, String expected, Object actual) {
    return new EventDataException(
        "data key '"
            + key
            + "' of "
            + type
            + " event: "
            + EventValues.describe(actual)
            + " (expected: "
            + expected
            + ")");
  }

  private static String checkType(String type) {
    Objects.requireNonNull(type, "type");
    if (type.isEmpty() || type.startsWith(RESERVED_PREFIX)) {
      throw new IllegalArgumentException(
          "type: '"
              + type
              + "' (expected: a non-empty string not starting with the reserved prefix '"
              + RESERVED_PREFIX
              + "')");
    }
    return type;
  }

  /** Compares type and data; the {@link #source()} is not part of an event's value. */
  @Override
  public boolean equals(Object o) {
    return o instanceof EbsocketEvent other && type.equals(other.type) && data.equals(other.data);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + data.hashCode();
  }

  /** Returns e.g. {@code EbsocketEvent<message>{content=hi}}. */
  @Override
  public String toString() {
    return "EbsocketEvent<" + type + ">" + data;
  }
}
