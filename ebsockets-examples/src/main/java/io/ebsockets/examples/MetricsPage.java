package io.ebsockets.examples;

import com.sun.net.httpserver.HttpServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.micrometer.EbsocketMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A Prometheus scrape page for a server: {@code GET /metrics} on a port of its own answers the
 * server's {@link EbsocketMetrics} in Prometheus's text format ({@code RoomsChatServer --metrics
 * PORT}). Point Prometheus at it with a scrape config of {@code targets: ['HOST:PORT']}.
 *
 * <p><b>Threads.</b> The JDK's HTTP server answers on a thread of its own; a scrape reads one
 * snapshot of the server's counters and never blocks the server.
 */
public final class MetricsPage implements AutoCloseable {
  private final HttpServer http;

  private MetricsPage(HttpServer http) {
    this.http = http;
  }

  /**
   * Serves {@code system}'s metrics at {@code http://host:port/metrics}.
   *
   * @param system the server's system
   * @param host the address to bind, or null for all interfaces
   * @param port the port, or 0 for a free one
   * @return the page, serving until {@link #close()}
   * @throws IOException if the port cannot be bound
   */
  public static MetricsPage serve(EbsocketSystem system, String host, int port)
      throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new EbsocketMetrics(system).bindTo(registry);
    HttpServer http = HttpServer.create(
        host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port), 0);
    http.createContext("/metrics", exchange -> {
      try (exchange) {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders()
            .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    http.start();
    return new MetricsPage(http);
  }

  /**
   * Returns the port the page listens on.
   *
   * @return the port
   */
  public int port() {
    return http.getAddress().getPort();
  }

  /** Stops serving. */
  @Override
  public void close() {
    http.stop(0);
  }
}
