package io.ebsockets;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebsockets.spi.DecodedValues;
import io.ebsockets.spi.WireProtocol;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the values an application puts into an event into the plain, immutable Java values that
 * the wire can carry and that a receiver gets back: String, Integer or Long (by size), Double,
 * Boolean, List, Map with String keys, or null. Normalising when an event is built is what makes
 * a sent event equal to the event received.
 */
final class EventValues {
  /**
   * How deep objects and arrays may nest, counted as on the wire: the payload object is level 1,
   * {@code data} level 2. The wire decoder enforces the same bound, so whatever an application
   * can build, a peer can read.
   */
  static final int MAX_DEPTH = WireProtocol.MAX_NESTING_DEPTH;

  /** The nesting level of the {@code data} object on the wire. */
  static final int DATA_LEVEL = 2;

  /** Binds records and POJOs to maps and back; lenient about keys the target does not know. */
  static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private EventValues() {}

  /** Returns an unmodifiable, normalised copy of {@code data}, keeping its key order. */
  static Map<String, Object> normaliseData(Map<String, ?> data) {
    if (data == null || data.isEmpty()) {
      return Collections.emptyMap();
    }
    if (data instanceof DecodedValues.Frozen) {
      @SuppressWarnings("unchecked") // a Frozen map is a FrozenMap, whose keys are strings
      Map<String, Object> frozen = (Map<String, Object>) data;
      return frozen;
    }
    try {
      return normaliseMap(data, DATA_LEVEL);
    } catch (BadValue e) {
      throw e.at("data");
    }
  }

  /** Normalises a value stored directly in {@code data} under {@code key}. */
  static Object normaliseDataValue(String key, Object value) {
    try {
      return normalise(value, DATA_LEVEL + 1);
    } catch (BadValue e) {
      throw e.at("data." + key);
    }
  }

  /**
   * Normalises one value; {@code level} is the nesting level the value has on the wire if it is
   * an object or array. Builds no path on the way down: a bad value's path is put together by
   * {@link BadValue} on the way back up, so a good event costs no string per key.
   */
  private static Object normalise(Object value, int level) {
    if (value instanceof DecodedValues.Frozen frozen) {
      checkLevel(level - 1 + frozen.height());
      return value; // received, and already what an event holds: taken as it is
    }
    if (value == null
        || value instanceof String
        || value instanceof Integer
        || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long l) {
      return normaliseLong(l);
    }
    if (value instanceof Short || value instanceof Byte) {
      return ((Number) value).intValue();
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return finiteDouble(((Number) value).doubleValue());
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < Long.SIZE
          ? normaliseLong(big.longValue())
          : finiteDouble(big.doubleValue());
    }
    if (value instanceof CharSequence || value instanceof Character) {
      return value.toString();
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Map<?, ?> map) {
      return normaliseMap(map, level);
    }
    if (value instanceof Collection<?> collection) {
      return normaliseList(collection, level);
    }
    if (value instanceof Object[] array) {
      return normaliseList(Arrays.asList(array), level);
    }
    return normalise(convertWithJackson(value), level);
  }

  /** Integers are Integer when they fit in 32 bits, Long otherwise: the size rule of the wire. */
  static Object normaliseLong(long value) {
    int narrow = (int) value;
    return narrow == value ? (Object) narrow : (Object) value;
  }

  private static Double finiteDouble(double value) {
    if (!Double.isFinite(value)) {
      throw new BadValue(
          value + " (expected: a finite number; JSON has no NaN or Infinity)", null);
    }
    return value;
  }

  private static void checkLevel(int level) {
    if (level > MAX_DEPTH) {
      throw new BadValue(
          "nested " + level + " levels deep (expected: at most " + MAX_DEPTH
              + " on the wire; cyclic data?)",
          null);
    }
  }

  private static Map<String, Object> normaliseMap(Map<?, ?> map, int level) {
    checkLevel(level);
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (entry.getKey() == null) {
        throw new BadValue("null key (expected: a string key)", null);
      }
      String key = entry.getKey().toString();
      try {
        copy.put(key, normalise(entry.getValue(), level + 1));
      } catch (BadValue e) {
        throw e.within("." + key);
      }
    }
    return Collections.unmodifiableMap(copy);
  }

  private static List<Object> normaliseList(Collection<?> list, int level) {
    checkLevel(level);
    List<Object> copy = new ArrayList<>(list.size());
    int index = 0;
    for (Object element : list) {
      try {
        copy.add(normalise(element, level + 1));
      } catch (BadValue e) {
        throw e.within("[" + index + "]");
      }
      index++;
    }
    return Collections.unmodifiableList(copy);
  }

  private static Object convertWithJackson(Object value) {
    try {
      return MAPPER.convertValue(value, Object.class);
    } catch (IllegalArgumentException e) {
      throw new BadValue(
          "cannot convert a "
              + value.getClass().getName()
              + " to JSON (expected: a string, number, boolean, list, map, record or bean)",
          e);
    }
  }

  /**
   * A value that cannot be carried, on its way up to the public method that reports it: each
   * level it passes adds its key or index in front, and the top turns it into the {@link
   * IllegalArgumentException} the caller sees, e.g. {@code data.scores[2]: NaN (expected: …)}.
   * No stack trace of its own: it never leaves this class.
   */
  private static final class BadValue extends RuntimeException {
    private final String problem;
    private final StringBuilder path = new StringBuilder();

    BadValue(String problem, Throwable cause) {
      super(problem, cause, false, false);
      this.problem = problem;
    }

    BadValue within(String step) {
      path.insert(0, step);
      return this;
    }

    IllegalArgumentException at(String root) {
      return new IllegalArgumentException(root + path + ": " + problem, getCause());
    }
  }

  /** Names a value's type for error messages: {@code "String \"hi\""}, {@code "null"}. */
  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String shown = value instanceof String s ? '"' + abbreviate(s) + '"' : abbreviate(value.toString());
    return simpleTypeName(value) + " " + shown;
  }

  private static String simpleTypeName(Object value) {
    if (value instanceof Map) {
      return "Map";
    }
    if (value instanceof List) {
      return "List";
    }
    return value.getClass().getSimpleName();
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
