package io.ebsockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EbsocketEventTest {

  record Move(int x, int y, String who) {}

  enum Colour {
    RED
  }

  @Test
  void typeAndDataAreKeptAndToStringIsReadable() {
    EbsocketEvent event = new EbsocketEvent("message", Map.of("content", "hi"));

    assertThat(event.type()).isEqualTo("message");
    assertThat(event.compareType("message")).isTrue();
    assertThat(event.compareType("other")).isFalse();
    assertThat(event.getAttribute("content")).isEqualTo("hi");
    assertThat(event).hasToString("EbsocketEvent<message>{content=hi}");
    assertThat(event.source()).isEmpty();
  }

  @Test
  void emptyOrReservedTypeIsRejected() {
    assertThatThrownBy(() -> new EbsocketEvent(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("type: ''");
    assertThatThrownBy(() -> new EbsocketEvent("ebsockets.ping"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved prefix 'ebsockets.'");
    assertThatThrownBy(() -> EbsocketEvent.fromObject("ebsockets.x", Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withReturnsANewEventAndLeavesTheOriginalUnchanged() {
    EbsocketEvent empty = new EbsocketEvent("message");
    EbsocketEvent one = empty.with("a", 1);
    EbsocketEvent two = one.with("b", "x").with("a", 2);

    assertThat(empty.data()).isEmpty();
    assertThat(one.data()).containsExactly(Map.entry("a", 1));
    assertThat(two.data()).containsExactly(Map.entry("a", 2), Map.entry("b", "x"));
  }

  @Test
  void dataIsCopiedAndUnmodifiableAllTheWayDown() {
    List<Object> list = new ArrayList<>(List.of(1, 2));
    Map<String, Object> nested = new HashMap<>(Map.of("list", list));
    Map<String, Object> data = new HashMap<>(Map.of("nested", nested));
    EbsocketEvent event = new EbsocketEvent("t", data);

    list.add(3);
    nested.put("more", true);
    data.clear();

    assertThat(event.data()).isEqualTo(Map.of("nested", Map.of("list", List.of(1, 2))));
    assertThatThrownBy(() -> event.data().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> inner = (Map<String, Object>) event.data().get("nested");
    assertThatThrownBy(() -> inner.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    @SuppressWarnings("unchecked")
    List<Object> innerList = (List<Object>) inner.get("list");
    assertThatThrownBy(() -> innerList.add(1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void numbersAreNormalisedToIntegerLongOrDoubleBySize() {
    EbsocketEvent event =
        new EbsocketEvent("n")
            .with("smallLong", 5L)
            .with("bigLong", 5_000_000_000L)
            .with("short", (short) 7)
            .with("byte", (byte) 8)
            .with("float", 1.5f)
            .with("decimal", new BigDecimal("2.25"))
            .with("bigInteger", BigInteger.valueOf(12))
            .with("hugeInteger", BigInteger.TEN.pow(30));

    assertThat(event.getAttribute("smallLong")).isEqualTo(5);
    assertThat(event.getAttribute("bigLong")).isEqualTo(5_000_000_000L);
    assertThat(event.getAttribute("short")).isEqualTo(7);
    assertThat(event.getAttribute("byte")).isEqualTo(8);
    assertThat(event.getAttribute("float")).isEqualTo(1.5);
    assertThat(event.getAttribute("decimal")).isEqualTo(2.25);
    assertThat(event.getAttribute("bigInteger")).isEqualTo(12);
    assertThat(event.getAttribute("hugeInteger")).isEqualTo(1e30);
  }

  @Test
  @SuppressWarnings("UnnecessaryStringBuilder") // a CharSequence that is not a String, on purpose
  void otherValuesBecomePlainJsonValues() {
    EbsocketEvent event =
        new EbsocketEvent("v")
            .with("chars", new StringBuilder("sb"))
            .with("char", 'c')
            .with("enum", Colour.RED)
            .with("array", new Object[] {1, "two", null})
            .with("ints", new int[] {1, 2})
            .with("record", new Move(1, 2, "me"));

    assertThat(event.data())
        .containsEntry("chars", "sb")
        .containsEntry("char", "c")
        .containsEntry("enum", "RED")
        .containsEntry("array", Arrays.asList(1, "two", null))
        .containsEntry("ints", List.of(1, 2))
        .containsEntry("record", Map.of("x", 1, "y", 2, "who", "me"));
  }

  @Test
  void valuesJsonCannotCarryAreRejectedNamingTheKey() {
    assertThatThrownBy(() -> new EbsocketEvent("t").with("ratio", Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("data.ratio")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> new EbsocketEvent("t").with("inf", Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class);
    Map<String, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1);
    assertThatThrownBy(() -> new EbsocketEvent("t", Map.of("m", nullKey)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null key");
  }

  @Test
  void cyclicOrTooDeepDataIsRejected() {
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThatThrownBy(() -> new EbsocketEvent("t").with("cycle", cycle))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 64");

    Object deep = "leaf";
    for (int i = 0; i < 62; i++) {
      deep = List.of(deep);
    }
    Object deepest = deep;
    // data is level 2, so 62 nested lists reach level 64: allowed; one more is not.
    assertThat(new EbsocketEvent("t").with("deep", deepest).data()).containsKey("deep");
    assertThatThrownBy(() -> new EbsocketEvent("t").with("deep", List.of(deepest)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void typedGettersReturnValuesOfTheirType() {
    EbsocketEvent event =
        new EbsocketEvent("t")
            .with("s", "text")
            .with("i", 42)
            .with("l", 5_000_000_000L)
            .with("d", 2.5)
            .with("b", true);

    assertThat(event.getString("s")).isEqualTo("text");
    assertThat(event.getInt("i")).isEqualTo(42);
    assertThat(event.getLong("i")).isEqualTo(42L);
    assertThat(event.getLong("l")).isEqualTo(5_000_000_000L);
    assertThat(event.getDouble("d")).isEqualTo(2.5);
    assertThat(event.getDouble("i")).isEqualTo(42.0);
    assertThat(event.getBoolean("b")).isTrue();
  }

  @Test
  void typedGettersNameTheKeyTheExpectedAndTheActualType() {
    EbsocketEvent event = new EbsocketEvent("chat").with("count", "three").with("big", 1L << 40);

    assertThatThrownBy(() -> event.getInt("count"))
        .isInstanceOf(EventDataException.class)
        .hasMessage("data key 'count' of chat event: String \"three\" (expected: int)");
    assertThatThrownBy(() -> event.getInt("big"))
        .isInstanceOf(EventDataException.class)
        .hasMessageContaining("Long 1099511627776 (expected: int)");
    assertThatThrownBy(() -> event.getBoolean("count"))
        .hasMessageContaining("(expected: boolean)");
    assertThatThrownBy(() -> event.getString("missing"))
        .isInstanceOf(EventDataException.class)
        .hasMessage("data key 'missing' of chat event: absent (expected: String)");
    assertThatThrownBy(() -> new EbsocketEvent("chat").with("n", null).getDouble("n"))
        .hasMessageContaining("null (expected: double)");
  }

  @Test
  void equalityIsOverTypeAndDataOnly() {
    Map<String, Object> ordered = new LinkedHashMap<>();
    ordered.put("a", 1);
    ordered.put("b", 2);
    EbsocketEvent one = new EbsocketEvent("t", ordered);
    EbsocketEvent other = new EbsocketEvent("t").with("b", 2).with("a", 1L);

    assertThat(one).isEqualTo(other).hasSameHashCodeAs(other);
    assertThat(one).isNotEqualTo(new EbsocketEvent("u", ordered));
    assertThat(one).isNotEqualTo(one.with("a", 2));
  }

  @Test
  void recordsConvertToDataAndBack() {
    EbsocketEvent event = EbsocketEvent.fromObject("move", new Move(3, 4, "alice"));

    assertThat(event.data()).containsExactly(
        Map.entry("x", 3), Map.entry("y", 4), Map.entry("who", "alice"));
    assertThat(event.as(Move.class)).isEqualTo(new Move(3, 4, "alice"));
    assertThat(event.with("extra", 1).as(Move.class)).isEqualTo(new Move(3, 4, "alice"));
  }

  @Test
  void fromObjectRejectsValuesThatAreNotObjects() {
    assertThatThrownBy(() -> EbsocketEvent.fromObject("t", "just a string"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: a record, bean or map");
  }

  @Test
  void asExplainsWhatDidNotFit() {
    EbsocketEvent event = new EbsocketEvent("move").with("x", "left");

    assertThatThrownBy(() -> event.as(Move.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot bind the data of EbsocketEvent<move>")
        .hasMessageContaining(Move.class.getName());
  }
}
