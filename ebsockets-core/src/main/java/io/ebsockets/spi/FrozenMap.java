package io.ebsockets.spi;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** An unmodifiable view of a decoded object's entries; see {@link DecodedValues}. */
final class FrozenMap extends AbstractMap<String, Object> implements DecodedValues.Frozen {
  static final FrozenMap EMPTY = new FrozenMap(new LinkedHashMap<>(0), 1);

  private final Map<String, Object> view;
  private final int height;

  FrozenMap(Map<String, Object> entries, int height) {
    this.view = Collections.unmodifiableMap(entries);
    this.height = height;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public Object get(Object key) {
    return view.get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return view.containsKey(key);
  }

  @Override
  public int size() {
    return view.size();
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return view.entrySet();
  }

  @Override
  public Set<String> keySet() {
    return view.keySet();
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    view.forEach(action);
  }
}
