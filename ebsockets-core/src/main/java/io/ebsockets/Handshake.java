package io.ebsockets;

import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a client presented when it connected, for an {@link Admission} hook: the door, its
 * address, the data of its {@code ebsockets.hello} and, on a WebSocket door, the upgrade request's
 * path, query, headers and cookies. Immutable.
 */
public final class Handshake {
  private final Door door;
  private final InetSocketAddress remoteAddress;
  private final Map<String, Object> hello;
  private final String path;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final Map<String, String> cookies;

  /**
   * Made by a transport.
   *
   * @param door the door the client came through
   * @param remoteAddress the client's address
   * @param hello the data of its hello
   * @param requestUri the WebSocket upgrade's request target (path and query), or null on TCP
   * @param headers the upgrade request's headers, or an empty map on TCP; names in any case
   * @param cookies the cookies of its {@code Cookie} header, or an empty map
   */
  public Handshake(
      Door door,
      InetSocketAddress remoteAddress,
      Map<String, Object> hello,
      String requestUri,
      Map<String, List<String>> headers,
      Map<String, String> cookies) {
    this.door = door;
    this.remoteAddress = remoteAddress;
    this.hello = Map.copyOf(hello);
    String target = requestUri == null ? "" : requestUri;
    int q = target.indexOf('?');
    this.path = q < 0 ? target : target.substring(0, q);
    this.query = parseQuery(q < 0 ? "" : target.substring(q + 1));
    Map<String, List<String>> lower = new LinkedHashMap<>();
    headers.forEach(
        (name, values) ->
            lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                .addAll(values));
    lower.replaceAll((name, values) -> List.copyOf(values));
    this.headers = Collections.unmodifiableMap(lower);
    this.cookies = Map.copyOf(cookies);
  }

  /**
   * Returns the door the client came through.
   *
   * @return the door
   */
  public Door door() {
    return door;
  }

  /**
   * Returns the client's address.
   *
   * @return the address
   */
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  /**
   * Returns the data of the client's {@code ebsockets.hello}: the protocol's own members ({@code
   * version}, {@code maxFrameLength}) and what the application added.
   *
   * @return the data
   */
  public Map<String, Object> hello() {
    return hello;
  }

  /**
   * Returns one string member of the hello's data.
   *
   * @param name the member
   * @return its value, or empty if absent or not a string
   */
  public Optional<String> helloValue(String name) {
    return hello.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /**
   * Returns the upgrade request's path.
   *
   * @return the path, e.g. {@code "/ebs"}; empty on TCP
   */
  public String path() {
    return path;
  }

  /**
   * Returns the upgrade request's query parameters, decoded.
   *
   * @return each name with its values in order; empty on TCP
   */
  public Map<String, List<String>> query() {
    return query;
  }

  /**
   * Returns the first value of one query parameter.
   *
   * @param name the parameter
   * @return its first value, or empty
   */
  public Optional<String> queryParameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * Returns the upgrade request's headers.
   *
   * @return each name, in lower case, with its values in order; empty on TCP
   */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * Returns the first value of one header.
   *
   * @param name the header, in any case
   * @return its first value, or empty
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * Returns the cookies the upgrade request carried.
   *
   * @return each cookie's name and value; empty on TCP
   */
  public Map<String, String> cookies() {
    return cookies;
  }

  private static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    params.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(params);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a malformed escape is kept as sent
    }
  }

  @Override
  public String toString() {
    return "Handshake{" + door + " from " + remoteAddress
        + (door == Door.WEB_SOCKET ? " " + path : "") + "}";
  }
}
