package io.ebsockets;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** The browser client this jar carries ({@code ebsockets-js/} in the sources), as text. */
final class JavaScriptClient {
  private static final String VERSION_PLACEHOLDER = "@EBSOCKETS_VERSION@";

  private JavaScriptClient() {}

  /** The module, its {@code VERSION} filled in with this jar's version. */
  static String module() {
    return read("js/ebsockets.js").replace(VERSION_PLACEHOLDER, version());
  }

  /** Its TypeScript declarations. */
  static String declarations() {
    return read("js/ebsockets.d.ts");
  }

  /** This jar's version, e.g. {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = JavaScriptClient.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("reading io/ebsockets/version.properties", e);
    }
    return p.getProperty("version", "unknown");
  }

  private static String read(String resource) {
    try (InputStream in = JavaScriptClient.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "io/ebsockets/" + resource + " is missing from the ebsockets-core jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading io/ebsockets/" + resource, e);
    }
  }
}
