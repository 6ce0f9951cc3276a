package io.ebsockets.netty;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket peer for tests, on the JDK's own client ({@code java.net.http.WebSocket}): an
 * implementation independent of Netty's, speaking raw text messages.
 */
final class WsPeer implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the server closed: the close frame's code and reason. */
  record Closed(int code, String reason) {}

  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final WebSocket socket;
  /** Once set, no more messages are asked for: the peer stops reading its socket. */
  private volatile boolean stalled;

  private WsPeer(URI uri, Map<String, String> headers) throws Exception {
    WebSocket.Builder builder =
        HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT);
    headers.forEach(builder::header);
    this.socket = builder.buildAsync(uri, new Listener()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  static WsPeer connect(URI uri) throws Exception {
    return new WsPeer(uri, Map.of());
  }

  static WsPeer connect(URI uri, Map<String, String> headers) throws Exception {
    return new WsPeer(uri, headers);
  }

  /** Sends a hello and returns the welcome's data. */
  @SuppressWarnings("unchecked")
  Map<String, Object> hello(String dataJson) throws Exception {
    send("{\"type\":\"ebsockets.hello\",\"data\":" + dataJson + "}");
    return (Map<String, Object>) readOfType("ebsockets.welcome").get("data");
  }

  void send(String text) throws Exception {
    socket.sendText(text, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  void sendBinary(byte[] bytes) throws Exception {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The next text message, raw. */
  String read() throws InterruptedException {
    String text = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (text == null) {
      throw new AssertionError("no message within " + WAIT);
    }
    return text;
  }

  /** The next message of a type, as a parsed payload; messages of other types are skipped. */
  @SuppressWarnings("unchecked")
  Map<String, Object> readOfType(String type) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, Object> payload = JSON.readValue(read(), Map.class);
      if (type.equals(payload.get("type"))) {
        return payload;
      }
    }
    throw new AssertionError("no " + type + " within " + WAIT);
  }

  /** Stops reading: no message after the one being read is asked for. */
  void stall() {
    stalled = true;
  }

  /** Waits for the server's close frame. */
  Closed closed() throws Exception {
    return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        texts.add(partial.toString());
        partial.setLength(0);
      }
      if (!stalled) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(new Closed(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
