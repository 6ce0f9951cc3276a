package io.ebsockets.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Containers for decoded event data that the library takes as they are: an event built around
 * them, or an application that puts a received value into an event it sends (a relay's {@code
 * with("content", event.getAttribute("content"))}), copies nothing. Without them, relaying a
 * megabyte of {@code [{},{},...]} would copy it into some 35 MB of fresh maps.
 *
 * <p>A transport's decoder builds each object and array it reads into a {@link LinkedHashMap} or
 * {@link ArrayList} of values that already follow {@link io.ebsockets.EbsocketEvent}'s rules
 * (see {@link ChannelSink#receivedNormalised}) and hands it over here, never to touch it again.
 *
 * <p><b>Threads.</b> What these methods return is immutable and safe to share.
 */
public final class DecodedValues {
  private DecodedValues() {}

  /**
   * A map or list made by this class: unmodifiable, normalised, and of a known height, so that
   * whoever nests it into a new event can check the nesting limit without looking inside.
   */
  public sealed interface Frozen permits FrozenMap, FrozenList {
    /**
     * How many levels of objects and arrays it spans: 1 for one that holds only scalars.
     *
     * @return at least 1
     */
    int height();
  }

  /**
   * Freezes a decoded object.
   *
   * @param entries normalised values in the order they were read; owned by the result from now on
   * @return an unmodifiable map over {@code entries}, a shared one if it is empty
   */
  @SuppressWarnings("NonApiType") // the type is the promise: insertion order
  public static Map<String, Object> map(LinkedHashMap<String, Object> entries) {
    return entries.isEmpty()
        ? FrozenMap.EMPTY
        : new FrozenMap(entries, 1 + maxHeight(entries.values()));
  }

  /**
   * Freezes a decoded array.
   *
   * @param elements normalised values in order; owned by the result from now on
   * @return an unmodifiable list over {@code elements}, a shared one if it is empty
   */
  @SuppressWarnings("NonApiType") // the type is the promise: random access
  public static List<Object> list(ArrayList<Object> elements) {
    return elements.isEmpty()
        ? FrozenList.EMPTY
        : new FrozenList(elements, 1 + maxHeight(elements));
  }

  private static int maxHeight(Iterable<Object> values) {
    int max = 0;
    for (Object value : values) {
      if (value instanceof Frozen frozen && frozen.height() > max) {
        max = frozen.height();
      }
    }
    return max;
  }
}
