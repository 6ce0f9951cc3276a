package io.ebsockets;

import java.util.Map;
import java.util.Objects;

/**
 * One member of a group as {@link Presence} reports it: its connection id and the attributes the
 * application chose to publish ({@link EbsocketServer.Builder#presenceAttributes}), as strings.
 *
 * @param id the member's connection, on whichever node holds it
 * @param attributes the published attributes, e.g. {@code {name=ada}}; unmodifiable
 */
public record PresenceMember(ConnectionId id, Map<String, String> attributes) {
  /**
   * Creates a member; the map is copied.
   *
   * @param id the connection id
   * @param attributes the published attributes
   */
  public PresenceMember {
    Objects.requireNonNull(id, "id");
    attributes = Map.copyOf(attributes);
  }
}
