package io.ebsockets.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.Door;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.examples.TwoDoorsServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The README's page snippet, served as it stands by a WebSocket door of {@link TwoDoorsServer}'s
 * loop and opened in Chromium: it connects, its message comes back relayed, and its time request
 * is answered. A README edit that breaks the snippet fails here.
 */
class ReadmePageBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern HTML_BLOCK = Pattern.compile("```html\\n(.*?)```", Pattern.DOTALL);

  private final Chromium chromium = new Chromium();
  private EbsocketSystem system;

  @AfterEach
  void stop() {
    chromium.close();
    if (system != null) {
      system.close();
    }
  }

  private static String readmePage() throws IOException {
    Matcher m = HTML_BLOCK.matcher(Files.readString(Path.of("..", "README.md")));
    assertThat(m.find()).as("an ```html block in README.md").isTrue();
    return m.group(1);
  }

  @Test
  void theReadmesPageConnectsSendsAndGetsItsReply() throws Exception {
    Chromium.assumeInstalled();
    system = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.tcp("127.0.0.1", 0))
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs")
            .withResource("/", "text/html", readmePage())
            .withJavaScriptClient())
        .build());
    Thread pump = new Thread(() -> TwoDoorsServer.serve(system), "two-doors");
    pump.setDaemon(true);
    pump.start();
    URI ws = system.server().uri(Door.WEB_SOCKET);

    WebDriver browser = chromium.open("readme");
    browser.get("http://127.0.0.1:" + ws.getPort() + "/");

    await().atMost(WAIT).until(() -> browser.getTitle().startsWith("server time "));
    assertThat(browser.findElement(By.id("log")).getText())
        .contains("message {\"content\":\"hello from a browser\"}");
    long millis = Long.parseLong(browser.getTitle().substring("server time ".length()));
    assertThat(millis).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    Chromium.screenshot(browser, "readme-page");
    assertThat(system.stats().connections()).isEqualTo(1);
  }
}
