package io.ebsockets;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client checks a TLS server: which certificates it trusts. Switched on with {@link
 * EbsocketClient.Builder#tls}; the client then speaks only TLS, with {@link ServerTls#PROTOCOLS},
 * and checks that the server's certificate names the host it connects to.
 *
 * <pre>{@code
 * EbsocketClient client = EbsocketClient.builder()
 *     .tls(ClientTls.trustPem(Path.of("ca.crt")))   // or ClientTls.systemTrust()
 *     .build();
 * client.connectTo("chat.example.org", 7982);
 * }</pre>
 */
public final class ClientTls {
  private static final ClientTls SYSTEM = new ClientTls(null, null, false);
  private static final ClientTls INSECURE = new ClientTls(null, null, true);

  private final Path trustedCertificates;
  private final KeyStore trustStore;
  private final boolean insecure;

  private ClientTls(Path trustedCertificates, KeyStore trustStore, boolean insecure) {
    this.trustedCertificates = trustedCertificates;
    this.trustStore = trustStore;
    this.insecure = insecure;
  }

  /**
   * Trusts what the JVM trusts (its {@code cacerts}): right for servers with a public certificate.
   *
   * @return the setting
   */
  public static ClientTls systemTrust() {
    return SYSTEM;
  }

  /**
   * Trusts the certificates in a PEM file: a private CA, or a server's own self-signed certificate.
   *
   * @param certificates a PEM file of one or more certificates
   * @return the setting
   * @throws IllegalArgumentException naming the file if it is not a readable file
   */
  public static ClientTls trustPem(Path certificates) {
    return new ClientTls(ServerTls.readable(certificates, "certificates"), null, false);
  }

  /**
   * Trusts the certificates of a loaded trust store.
   *
   * @param trustStore the trust store
   * @return the setting
   */
  public static ClientTls trustStore(KeyStore trustStore) {
    return new ClientTls(null, Objects.requireNonNull(trustStore, "trustStore"), false);
  }

  /**
   * <b>INSECURE, for development only:</b> accepts any certificate for any host, so anyone on the
   * path can read and change the traffic. The traffic is still encrypted, which is all this buys.
   * Every connection made with it logs a warning.
   *
   * @return the setting
   */
  public static ClientTls insecureTrustAnyCertificate() {
    return INSECURE;
  }

  /**
   * Returns the PEM file of trusted certificates.
   *
   * @return the file, if this setting trusts one
   */
  public Optional<Path> trustedCertificates() {
    return Optional.ofNullable(trustedCertificates);
  }

  /**
   * Returns the trust store.
   *
   * @return the trust store, if this setting trusts one
   */
  public Optional<KeyStore> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  /**
   * Tells whether certificate and host name checks are off.
   *
   * @return true only for {@link #insecureTrustAnyCertificate()}
   */
  public boolean trustsAnyCertificate() {
    return insecure;
  }

  @Override
  public String toString() {
    if (insecure) {
      return "ClientTls{INSECURE: trusts any certificate}";
    }
    if (trustedCertificates != null) {
      return "ClientTls{trust=" + trustedCertificates + '}';
    }
    return trustStore != null ? "ClientTls{trust=a KeyStore}" : "ClientTls{trust=system}";
  }
}
