package io.ebsockets;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  static final int MAX_DEPTH = 64;

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
    return normaliseMap("data", data, DATA_LEVEL);
  }

  /** Normalises a value stored directly in {@code data}. */
  static Object normaliseDataValue(String path, Object value) {
    return normalise(path, value, DATA_LEVEL + 1);
  }

  /**
   * Normalises one value; {@code level} is the nesting level the value has on the wire if it is
   * an object or array.
   */
  private static Object normalise(String path, Object value, int level) {
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
      return finiteDouble(path, ((Number) value).doubleValue());
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < Long.SIZE
          ? normaliseLong(big.longValue())
          : finiteDouble(path, big.doubleValue());
    }
    if (value instanceof CharSequence || value instanceof Character) {
      return value.toString();
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Map<?, ?> map) {
      return normaliseMap(path, map, level);
    }
    if (value instanceof Collection<?> collection) {
      return normaliseList(path, collection, level);
    }
    if (value instanceof Object[] array) {
      return normaliseList(path, Arrays.asList(array), level);
    }
    return normalise(path, convertWithJackson(path, value), level);
  }

  /** Integers are Integer when they fit in 32 bits, Long otherwise: the size rule of the wire. */
  static Object normaliseLong(long value) {
    int narrow = (int) value;
    return narrow == value ? (Object) narrow : (Object) value;
  }

  private static Double finiteDouble(String path, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          path + ": " + value + " (expected: a finite number; JSON has no NaN or Infinity)");
    }
    return value;
  }

  private static void checkLevel(String path, int level) {
    if (level > MAX_DEPTH) {
      throw new IllegalArgumentException(
          path + ": nested " + level + " levels deep (expected: at most " + MAX_DEPTH
              + " on the wire; cyclic data?)");
    }
  }

  private static Map<String, Object> normaliseMap(String path, Map<?, ?> map, int level) {
    checkLevel(path, level);
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (entry.getKey() == null) {
        throw new IllegalArgumentException(path + ": null key (expected: a string key)");
      }
      String key = entry.getKey().toString();
      copy.put(key, normalise(path + "." + key, entry.getValue(), level + 1));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static List<Object> normaliseList(String path, Collection<?> list, int level) {
    checkLevel(path, level);
    List<Object> copy = new ArrayList<>(list.size());
    int index = 0;
    for (Object element : list) {
      copy.add(normalise(path + "[" + index++ + "]", element, level + 1));
    }
    return Collections.unmodifiableList(copy);
  }

  private static Object convertWithJackson(String path, Object value) {
    try {
      return MAPPER.convertValue(value, Object.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          path
              + ": cannot convert a "
              + value.getClass().getName()
              + " to JSON (expected: a string, number, boolean, list, map, record or bean)",
          e);
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
