package io.ebsockets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A server's TLS identity: its certificate chain and private key, as PEM files. Switched on with
 * {@link EbsocketServer.Builder#tls}; the server then speaks only TLS, with {@link #PROTOCOLS}.
 *
 * <pre>{@code
 * EbsocketServer server = EbsocketServer.builder()
 *     .port(7982)
 *     .tls(ServerTls.fromPem(Path.of("server.crt"), Path.of("server.key")))
 *     .build();
 * }</pre>
 */
public final class ServerTls {
  /** The TLS versions ebsockets enables, on both sides: TLS 1.3 and TLS 1.2, nothing older. */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private final Path certificateChain;
  private final Path privateKey;
  private final String keyPassword;

  private ServerTls(Path certificateChain, Path privateKey, String keyPassword) {
    this.certificateChain = readable(certificateChain, "certificateChain");
    this.privateKey = readable(privateKey, "privateKey");
    this.keyPassword = keyPassword;
  }

  /**
   * Uses a certificate chain and an unencrypted private key.
   *
   * @param certificateChain a PEM file: the server's certificate first, then any intermediates
   * @param privateKey a PEM file with the key in PKCS#8 ({@code BEGIN PRIVATE KEY})
   * @return the identity; the files are read when the server binds
   * @throws IllegalArgumentException naming the file if one is not a readable file
   */
  public static ServerTls fromPem(Path certificateChain, Path privateKey) {
    return new ServerTls(certificateChain, privateKey, null);
  }

  /**
   * Uses a certificate chain and a password-protected private key.
   *
   * @param certificateChain a PEM file: the server's certificate first, then any intermediates
   * @param privateKey a PEM file with the key in encrypted PKCS#8 ({@code BEGIN ENCRYPTED PRIVATE
   *     KEY})
   * @param keyPassword the key's password
   * @return the identity; the files are read when the server binds
   * @throws IllegalArgumentException naming the file if one is not a readable file
   */
  public static ServerTls fromPem(Path certificateChain, Path privateKey, String keyPassword) {
    return new ServerTls(
        certificateChain, privateKey, Objects.requireNonNull(keyPassword, "keyPassword"));
  }

  /**
   * Returns the certificate chain file.
   *
   * @return the PEM file
   */
  public Path certificateChain() {
    return certificateChain;
  }

  /**
   * Returns the private key file.
   *
   * @return the PEM file
   */
  public Path privateKey() {
    return privateKey;
  }

  /**
   * Returns the private key's password.
   *
   * @return the password, or empty for an unencrypted key
   */
  public Optional<String> keyPassword() {
    return Optional.ofNullable(keyPassword);
  }

  static Path readable(Path file, String name) {
    Objects.requireNonNull(file, name);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(
          name + ": " + file + " (expected: a readable PEM file)");
    }
    return file;
  }

  @Override
  public String toString() {
    return "ServerTls{certificateChain=" + certificateChain + ", privateKey=" + privateKey + '}';
  }
}
