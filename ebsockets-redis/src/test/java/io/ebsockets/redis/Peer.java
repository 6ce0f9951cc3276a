package io.ebsockets.redis;

import io.ebsockets.ClientPumpResult;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test client of a {@link RelayNode}: pumps on a thread of its own and records every {@code
 * msg} it receives by its "stream" key, in order, so a test can check each stream arrived
 * exactly once and in order.
 */
final class Peer implements AutoCloseable {
  final String name;
  final EbsocketClient client = new EbsocketClient();
  final String id;
  private final Map<String, List<Integer>> streams = new ConcurrentHashMap<>();
  private final Thread pump;

  Peer(String name, URI node, String room) throws Exception {
    this.name = name;
    client.connectTo(node);
    this.pump = new Thread(this::run, "peer-" + name);
    pump.setDaemon(true);
    pump.start();
    id = client.request(new EbsocketEvent("whoami"), Duration.ofSeconds(10)).get().getString("id");
    if (room != null) {
      client.request(new EbsocketEvent("join").with("room", room).with("name", name),
          Duration.ofSeconds(10)).get();
    }
  }

  private void run() {
    while (true) {
      ClientPumpResult r = client.pump(Duration.ofMillis(200));
      for (EbsocketEvent e : r.events()) {
        if (e.compareType("msg")) {
          streams.computeIfAbsent(e.getString("stream"), s -> new CopyOnWriteArrayList<>())
              .add(e.getInt("n"));
        }
      }
      if (!r.connected() && !client.isConnected()) {
        return;
      }
    }
  }

  /** Sends {@code count} events of one stream, numbered from 1. */
  void send(String type, String stream, int count, Map<String, Object> extra) {
    for (int n = 1; n <= count; n++) {
      EbsocketEvent e = new EbsocketEvent(type).with("stream", stream).with("n", n);
      for (Map.Entry<String, Object> x : extra.entrySet()) {
        e = e.with(x.getKey(), x.getValue());
      }
      client.sendEvent(e);
    }
  }

  List<Integer> stream(String stream) {
    return new ArrayList<>(streams.getOrDefault(stream, List.of()));
  }

  int size(String stream) {
    return streams.getOrDefault(stream, List.of()).size();
  }

  /** 1, 2, ... n: what a stream of n must look like once it arrived exactly once, in order. */
  static List<Integer> oneTo(int n) {
    List<Integer> l = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      l.add(i);
    }
    return l;
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
