package io.ebsockets.netty;

import io.ebsockets.ClientTls;
import io.ebsockets.ServerTls;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the core's TLS settings into Netty {@link SslContext}s: the JDK's TLS, {@link
 * ServerTls#PROTOCOLS} only, and on clients the host name checked against the certificate.
 */
final class TlsContexts {
  private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
  /** Building a client context reads trust material; clients sharing a setting share it. */
  private static final Map<ClientTls, SslContext> CLIENTS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private TlsContexts() {}

  /**
   * @throws IllegalArgumentException naming the files if they cannot be loaded
   */
  static SslContext server(ServerTls tls) {
    try {
      return SslContextBuilder.forServer(
              tls.certificateChain().toFile(),
              tls.privateKey().toFile(),
              tls.keyPassword().orElse(null))
          .sslProvider(SslProvider.JDK)
          .protocols(ServerTls.PROTOCOLS)
          .build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "tls: cannot load the certificate chain " + tls.certificateChain() + " and private key "
              + tls.privateKey() + ": " + e.getMessage()
              + " (expected: PEM files, the key in PKCS#8, encrypted only with a password given)",
          e);
    }
  }

  /**
   * @throws IllegalArgumentException naming the trust material if it cannot be loaded
   */
  static SslContext client(ClientTls tls) {
    if (tls.trustsAnyCertificate()) {
      log.warn("TLS certificate checks are OFF (ClientTls.insecureTrustAnyCertificate): anyone on"
          + " the path can read and change this connection; for development only");
    }
    return CLIENTS.computeIfAbsent(tls, TlsContexts::buildClient);
  }

  private static SslContext buildClient(ClientTls tls) {
    SslContextBuilder builder =
        SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(ServerTls.PROTOCOLS);
    try {
      if (tls.trustsAnyCertificate()) {
        builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
      } else {
        builder.endpointIdentificationAlgorithm("HTTPS");
        if (tls.trustedCertificates().isPresent()) {
          builder.trustManager(tls.trustedCertificates().get().toFile());
        } else if (tls.trustStore().isPresent()) {
          TrustManagerFactory factory =
              TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
          factory.init(tls.trustStore().get());
          builder.trustManager(factory);
        }
      }
      return builder.build();
    } catch (SSLException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "tls: cannot load the trust material of " + tls + ": " + e.getMessage()
              + " (expected: PEM certificates or a loaded trust store)",
          e);
    }
  }
}
