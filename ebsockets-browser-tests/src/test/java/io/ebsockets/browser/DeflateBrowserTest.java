package io.ebsockets.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * permessage-deflate with a browser that offers it (Chromium always does): off unless the door
 * turns it on, and when on, negotiated and carrying a large message both ways.
 */
class DeflateBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Chromium chromium = new Chromium();
  private EbsocketSystem system;

  @AfterEach
  void stop() {
    chromium.close();
    if (system != null) {
      system.close();
    }
  }

  private static Listener door(boolean deflate) {
    Listener door = Listener.webSocket("127.0.0.1", 0, "/ebs")
        .withResource("/page.html", "text/html", Chromium.MODULE_PAGE)
        .withJavaScriptClient();
    return deflate ? door.withDeflate(1 << 20) : door;
  }

  @Test
  void deflateIsOffByDefaultAndNegotiatedWhenTurnedOn() throws Exception {
    Chromium.assumeInstalled();
    system = new EbsocketSystem(EbsocketServer.builder()
        .listen(door(false))
        .listen(door(true))
        .build());
    Thread echo = new Thread(() -> {
      while (!system.isClosed()) {
        for (EbsocketEvent e : system.pump(Duration.ofMillis(100)).newEvents()) {
          e.source().ifPresent(from -> system.sendEventTo(from, e));
        }
      }
    }, "echo");
    echo.setDaemon(true);
    echo.start();
    List<InetSocketAddress> doors = system.server().addresses();

    assertThat(extensionsAndEcho(doors.get(0).getPort())).isEqualTo(" / 200000");
    assertThat(extensionsAndEcho(doors.get(1).getPort())).startsWith("permessage-deflate")
        .endsWith(" / 200000");
  }

  /** Opens the page at a door, echoes 200,000 compressible characters, and says what was used. */
  private String extensionsAndEcho(int port) throws Exception {
    WebDriver browser = chromium.open("deflate-" + port);
    browser.get("http://127.0.0.1:" + port + "/page.html");
    await().atMost(WAIT).until(() -> "ready".equals(browser.getTitle()));
    return (String) ((JavascriptExecutor) browser).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "(async () => {"
            + "  const c = new ebs.EbsocketClient('/ebs'); await c.connect();"
            + "  const back = new Promise(r => c.onEvent(e => r(e)));"
            + "  c.sendEvent('big', {text: 'abc'.repeat(66667).slice(0, 200000)});"
            + "  const e = await back;"
            + "  done(c._ws.extensions + ' / ' + e.data.text.length);"
            + "})().catch(e => done('error: ' + e.message));");
  }
}
