package io.ebsockets.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.EbsocketEvent;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a decoded event counts against the inbound allowance is what it costs the heap, not its
 * wire size; empty containers cost a reference; and a relay that sends a received value on
 * copies nothing.
 */
class DecodedCostTest {
  private static DecodedEvent decode(String payload) {
    return (DecodedEvent)
        EventCodec.decode(Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8)));
  }

  private static String arrayOf(String element, int count) {
    StringBuilder json = new StringBuilder("{\"type\":\"m\",\"data\":{\"content\":[");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ",").append(element);
    }
    return json.append("]}}").toString();
  }

  @Test
  void tinyObjectsAreChargedWhatTheyCostDecodedNotTheirWireSize() {
    DecodedEvent objects = decode(arrayOf("{\"\":0}", 10_000));
    assertThat(objects.memoryBytes()).isGreaterThan(20 * objects.frameBytes());

    DecodedEvent text = decode("{\"type\":\"m\",\"data\":{\"content\":\"" + "x".repeat(10_000) + "\"}}");
    assertThat(text.memoryBytes()).isBetween(text.frameBytes(), 3 * text.frameBytes());
  }

  @Test
  void emptyObjectsAndArraysAreOneSharedInstanceEach() {
    DecodedEvent empties = decode(arrayOf("{}", 10_000));
    List<?> content = (List<?>) empties.data().get("content");
    assertThat(content).hasSize(10_000);
    assertThat(content.get(0)).isSameAs(content.get(9_999)).isEqualTo(Map.of());
    assertThat(empties.memoryBytes()).isLessThan(6 * empties.frameBytes());
    assertThat(decode(arrayOf("[]", 2)).data().get("content"))
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .satisfies(l -> assertThat(l.get(0)).isSameAs(l.get(1)));
  }

  @Test
  void aRelayThatSendsAReceivedValueOnCopiesNothing() {
    EbsocketEvent received = decode(arrayOf("{\"a\":[1,{\"b\":2}]}", 3)).event();
    Object content = received.getAttribute("content");
    EbsocketEvent relayed = new EbsocketEvent("message").with("content", content);
    assertThat(relayed.getAttribute("content")).isSameAs(content);
    assertThat(relayed.getAttribute("content")).isEqualTo(List.of(
        Map.of("a", List.of(1, Map.of("b", 2))),
        Map.of("a", List.of(1, Map.of("b", 2))),
        Map.of("a", List.of(1, Map.of("b", 2)))));
  }

  @Test
  void aReceivedValueNestedPastTheLimitIsStillRefused() {
    String deep = "[".repeat(60) + "]".repeat(60);
    Object content = decode("{\"type\":\"m\",\"data\":{\"content\":" + deep + "}}").data().get("content");
    Object nested = content;
    for (int i = 0; i < 5; i++) {
      nested = List.of(nested);
    }
    Object tooDeep = nested;
    assertThatThrownBy(() -> new EbsocketEvent("m").with("content", tooDeep))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("levels deep");
    assertThat(new EbsocketEvent("m").with("content", content).getAttribute("content"))
        .isSameAs(content);
  }
}
