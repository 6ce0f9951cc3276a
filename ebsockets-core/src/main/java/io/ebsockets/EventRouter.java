package io.ebsockets;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Maps event types to handlers, for those who would rather not write {@code compareType} chains.
 * It is fed pump results on the thread that pumps and calls the handlers right there, in the
 * pump's order — new clients, then events, then disconnects — so the single-threaded pump model
 * stays as it is: no hidden threads, no locking needed in handlers.
 *
 * <pre>{@code
 * EventRouter router = EventRouter.builder()
 *     .onConnect(client -> system.join(client, "lobby"))
 *     .on("message", (from, event) -> system.sendEventToClients(event, from))
 *     .otherwise((from, event) -> from.close("unknown event " + event.type()))
 *     .build();
 * while (!system.isClosed()) {
 *   router.dispatch(system.pump());
 * }
 * }</pre>
 *
 * <p>Immutable once built and safe to share. An exception thrown by a handler propagates out of
 * {@link #dispatch} and the rest of that result is not dispatched.
 */
public final class EventRouter {

  /** Handles one event. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Handles an event.
     *
     * @param from the connection it came from; null for events a client received
     * @param event the event
     */
    void handle(EbsocketConnection from, EbsocketEvent event);
  }

  private final Map<String, Handler> handlers;
  private final Handler fallback;
  private final Consumer<EbsocketConnection> onConnect;
  private final Consumer<EbsocketConnection> onDisconnect;

  private EventRouter(Builder builder) {
    this.handlers = Map.copyOf(builder.handlers);
    this.fallback = builder.fallback;
    this.onConnect = builder.onConnect;
    this.onDisconnect = builder.onDisconnect;
  }

  /**
   * Starts a router.
   *
   * @return an empty builder: no handlers, unknown types ignored
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Calls the handlers for everything in a server's pump result, in order: new clients, events,
   * disconnects.
   *
   * @param result what {@link EbsocketSystem#pump()} returned
   */
  public void dispatch(PumpResult result) {
    result.newClients().forEach(onConnect);
    for (EbsocketEvent event : result.newEvents()) {
      route(event.source().orElse(null), event);
    }
    result.disconnectedClients().forEach(onDisconnect);
  }

  /**
   * Calls the handlers for events a client received ({@code from} is null).
   *
   * @param events e.g. {@link ClientPumpResult#events()}
   */
  public void dispatch(List<EbsocketEvent> events) {
    for (EbsocketEvent event : events) {
      route(event.source().orElse(null), event);
    }
  }

  private void route(EbsocketConnection from, EbsocketEvent event) {
    handlers.getOrDefault(event.type(), fallback).handle(from, event);
  }

  /** Builds a router; each type has at most one handler. */
  public static final class Builder {
    private final Map<String, Handler> handlers = new HashMap<>();
    private Handler fallback = (from, event) -> {};
    private Consumer<EbsocketConnection> onConnect = client -> {};
    private Consumer<EbsocketConnection> onDisconnect = client -> {};

    private Builder() {}

    /**
     * Routes events of one type to a handler.
     *
     * @param type the event type
     * @param handler called for each event of that type
     * @return this builder
     * @throws IllegalStateException if the type already has a handler
     */
    public Builder on(String type, Handler handler) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(handler, "handler");
      if (handlers.putIfAbsent(type, handler) != null) {
        throw new IllegalStateException(
            "type '" + type + "' already has a handler (expected: one handler per type)");
      }
      return this;
    }

    /**
     * Routes events of types that have no handler.
     *
     * @param fallback called for each such event; by default they are ignored
     * @return this builder
     */
    public Builder otherwise(Handler fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    /**
     * Handles new clients.
     *
     * @param onConnect called for each new client, before any of its events
     * @return this builder
     */
    public Builder onConnect(Consumer<EbsocketConnection> onConnect) {
      this.onConnect = Objects.requireNonNull(onConnect, "onConnect");
      return this;
    }

    /**
     * Handles clients that disconnected; their {@link EbsocketConnection#closeStatus()} says why.
     *
     * @param onDisconnect called for each client that left, after its events
     * @return this builder
     */
    public Builder onDisconnect(Consumer<EbsocketConnection> onDisconnect) {
      this.onDisconnect = Objects.requireNonNull(onDisconnect, "onDisconnect");
      return this;
    }

    /**
     * Builds the router.
     *
     * @return an immutable router
     */
    public EventRouter build() {
      return new EventRouter(this);
    }
  }
}
