package io.ebsockets.spi;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.RandomAccess;

/** An unmodifiable view of a decoded array's elements; see {@link DecodedValues}. */
final class FrozenList extends AbstractList<Object>
    implements DecodedValues.Frozen, RandomAccess {
  static final FrozenList EMPTY = new FrozenList(new ArrayList<>(0), 1);

  private final ArrayList<Object> elements;
  private final int height;

  @SuppressWarnings("NonApiType") // ArrayList: get(i) in constant time
  FrozenList(ArrayList<Object> elements, int height) {
    this.elements = elements;
    this.height = height;
  }

  @Override
  public int height() {
    return height;
  }

  @Override
  public Object get(int index) {
    return elements.get(index);
  }

  @Override
  public int size() {
    return elements.size();
  }
}
