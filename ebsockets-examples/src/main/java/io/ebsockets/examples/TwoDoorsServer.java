package io.ebsockets.examples;

import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;

/**
 * The seed's relay with two doors: TCP clients on 7982 and browsers on 8080, in one system.
 * Every {@code message} goes to everyone, whatever door they came through, and a {@code time}
 * request is answered with the server's clock. The WebSocket door also serves {@code
 * /ebsockets.js}, so a page on any web server of yours can import it from here.
 *
 * <pre>
 * mvn -q -pl ebsockets-examples -am compile exec:java \
 *     -Dexec.mainClass=io.ebsockets.examples.TwoDoorsServer
 * </pre>
 */
public final class TwoDoorsServer {
  private TwoDoorsServer() {}

  /**
   * Listens on TCP 7982 and WebSocket 8080 ({@code /ebs}) until the process is stopped.
   *
   * @param args none
   */
  public static void main(String[] args) {
    EbsocketServer server = EbsocketServer.builder()
        .listen(Listener.tcp(7982))
        .listen(Listener.webSocket(8080, "/ebs").withJavaScriptClient())
        .build();
    EbsocketSystem system = new EbsocketSystem(server).closeOnJvmShutdown();
    System.out.println("Relay on " + server.uris());
    serve(system);
  }

  /**
   * Relays and answers until the system is closed.
   *
   * @param system the system to serve; pumped on the calling thread
   */
  public static void serve(EbsocketSystem system) {
    while (!system.isClosed()) {
      for (EbsocketEvent event : system.pump().newEvents()) {
        if (event.compareType("message")) {
          system.sendEventToClients(event); // every door's clients; encoded once per door
        } else if (event.compareType("time") && event.isRequest()) {
          system.reply(event, new EbsocketEvent("time").with("millis", System.currentTimeMillis()));
        }
      }
    }
  }
}
