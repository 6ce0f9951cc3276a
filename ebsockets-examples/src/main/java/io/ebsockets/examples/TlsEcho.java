package io.ebsockets.examples;

import io.ebsockets.ClientTls;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.ServerTls;
import java.io.IOException;
import java.io.PrintStream;
import io.ebsockets.examples.ProgramOptions.Option;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A TLS server and a TLS client in one process: the client sends one event over TLS, the server
 * echoes it back, and both exit. Make a certificate for 127.0.0.1 first, e.g.
 *
 * <pre>
 * openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
 *     -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
 *     -keyout key.pem -out cert.pem
 * mvn -q -pl ebsockets-examples -am compile exec:java \
 *     -Dexec.mainClass=io.ebsockets.examples.TlsEcho \
 *     -Dexec.args="--cert $PWD/cert.pem --key $PWD/key.pem --trust $PWD/cert.pem"
 * </pre>
 */
public final class TlsEcho {
  private TlsEcho() {}

  /**
   * Runs the echo once.
   *
   * @param args {@code --cert CHAIN.pem --key KEY.pem --trust CA.pem}
   * @throws IOException if the client cannot connect
   */
  public static void main(String[] args) throws IOException {
    Optional<Args> parsed = Args.parseOrExit("TlsEcho",
        "A TLS server and client in one process: one event echoed over TLS.",
        List.of(
            Option.value("cert", "CHAIN.pem", "the server's certificate chain (required)"),
            Option.value("key", "KEY.pem", "the server's PKCS#8 private key (required)"),
            Option.value("trust", "CA.pem", "what the client trusts (required)")), args);
    if (parsed.isEmpty()) {
      return; // --help
    }
    Args options = parsed.get();
    if (!options.has("cert") || !options.has("key") || !options.has("trust")) {
      System.err.println("TlsEcho: --cert, --key and --trust are required (expected: PEM files;"
          + " the class documentation and the README's TLS section show how to make them)");
      System.exit(2);
    }
    run(path(options, "cert"), path(options, "key"), path(options, "trust"), System.out);
  }

  private static Path path(Args options, String name) {
    if (!options.has(name)) {
      throw new IllegalArgumentException("--" + name + " (expected: a PEM file)");
    }
    return Path.of(options.get(name, ""));
  }

  private static EbsocketEvent nextEvent(EbsocketSystem system) throws IOException {
    for (int pumps = 0; pumps < 10; pumps++) {
      List<EbsocketEvent> events = system.pump(Duration.ofSeconds(1)).newEvents();
      if (!events.isEmpty()) {
        return events.get(0);
      }
    }
    throw new IOException("no event within 10 seconds");
  }

  /**
   * Starts a TLS server, connects a TLS client, echoes one event.
   *
   * @param certificateChain the server's certificate chain (PEM)
   * @param privateKey the server's key (PEM, PKCS#8)
   * @param trustedCertificates what the client trusts (PEM): the CA, or the certificate itself
   * @param out where to print
   * @throws IOException if the client cannot connect
   */
  static void run(Path certificateChain, Path privateKey, Path trustedCertificates,
      PrintStream out) throws IOException {
    EbsocketServer server = EbsocketServer.builder()
        .host("127.0.0.1")
        .port(0)
        .tls(ServerTls.fromPem(certificateChain, privateKey))
        .build();
    EbsocketClient client = EbsocketClient.builder()
        .tls(ClientTls.trustPem(trustedCertificates))
        .build();
    try (EbsocketSystem system = new EbsocketSystem(server); client) {
      client.connectTo(server.address());
      client.sendEvent(new EbsocketEvent("message").with("content", "hello over TLS"));
      EbsocketEvent received = nextEvent(system);
      system.sendEventTo(received.source().orElseThrow(), received);
      out.println("echoed over TLS: " + client.recvEvent(Duration.ofSeconds(10)).orElseThrow());
    }
  }
}
