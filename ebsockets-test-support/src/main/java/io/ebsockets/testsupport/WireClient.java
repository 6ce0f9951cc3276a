package io.ebsockets.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * A peer written from the wire protocol alone, on a plain blocking socket: what an outside client
 * in any language would do. Reads time out after 10 seconds, so a test never hangs.
 */
public final class WireClient implements Closeable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private WireClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code address}. */
  public static WireClient connect(InetSocketAddress address) {
    return connect(address, 0);
  }

  /**
   * Connects to {@code address} with a receive buffer of about {@code receiveBufferBytes} (the
   * kernel may round it), or the system's default if 0: a small one makes a peer that does not
   * read fall behind soon.
   */
  public static WireClient connect(InetSocketAddress address, int receiveBufferBytes) {
    try {
      Socket socket = new Socket();
      if (receiveBufferBytes > 0) {
        socket.setReceiveBufferSize(receiveBufferBytes);
      }
      socket.connect(address, 10_000);
      socket.setSoTimeout(10_000);
      socket.setTcpNoDelay(true);
      return new WireClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds one frame: 4-byte big-endian length, then the payload. */
  public static byte[] frame(byte[] payload) {
    return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
  }

  /** Builds one frame of UTF-8 JSON text. */
  public static byte[] frame(String json) {
    return frame(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends bytes as they are. */
  public void sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one frame of JSON text. */
  public void sendFrame(String json) {
    sendRaw(frame(json));
  }

  /**
   * Reads one frame and parses it.
   *
   * @return the payload as a map, or empty at end of stream
   */
  public Optional<Map<String, Object>> readFrame() {
    try {
      int length;
      try {
        length = in.readInt();
      } catch (EOFException e) {
        return Optional.empty();
      }
      byte[] payload = new byte[length];
      in.readFully(payload);
      return Optional.of(JSON.readValue(payload, MAP));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads frames until one of the given type, failing at end of stream. */
  public Map<String, Object> readFrameOfType(String type) {
    while (true) {
      Map<String, Object> frame =
          readFrame().orElseThrow(() -> new AssertionError("end of stream before a " + type));
      if (type.equals(frame.get("type"))) {
        return frame;
      }
    }
  }

  /** Tells whether the server closed its side: the next read hits the end of the stream. */
  public boolean endOfStream() {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes with a reset (SO_LINGER 0) instead of a FIN, like a crashed peer. */
  public void reset() {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
