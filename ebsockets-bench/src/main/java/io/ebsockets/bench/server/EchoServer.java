package io.ebsockets.bench.server;

import io.ebsockets.bench.load.Cli;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import java.time.Duration;
import java.util.Map;

/**
 * The echo scenario's ebsockets server: a pump loop that sends each {@code message} back to its
 * sender, rebuilt as the relay does. Options: {@code --host H --port N --io-threads N
 * --write-coalescing-us N} (default: the library's).
 */
public final class EchoServer {
  private EchoServer() {}

  public static void main(String[] argv) {
    Map<String, String> args = Cli.parse("EchoServer",
        "ebsockets answering each event to its sender (the echo scenario).",
        Cli.serverOptions(), argv);
    EbsocketServer.Builder builder = EbsocketServer.builder()
        .host(args.getOrDefault("host", "127.0.0.1"))
        .port(Integer.parseInt(args.get("port")))
        .ioThreads(Integer.parseInt(args.getOrDefault("io-threads", "0")));
    if (args.containsKey("write-coalescing-us")) {
      builder.writeCoalescing(
          Duration.ofNanos(1000 * Long.parseLong(args.get("write-coalescing-us"))));
    }
    EbsocketSystem system = new EbsocketSystem(builder.build());
    Runtime.getRuntime().addShutdownHook(new Thread(system::close));
    while (!system.isClosed()) {
      for (EbsocketEvent event : system.pump().newEvents()) {
        if (event.compareType("message")) {
          system.sendEventTo(event.source().orElseThrow(),
              new EbsocketEvent("message").with("content", event.getAttribute("content")));
        }
      }
    }
  }
}
