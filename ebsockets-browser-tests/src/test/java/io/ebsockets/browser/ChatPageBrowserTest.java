package io.ebsockets.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.Door;
import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.examples.RoomsChatServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The chat page of {@link RoomsChatServer} in a real browser: Debian's headless Chromium, driven
 * by Selenium through Debian's chromedriver (named explicitly, so that nothing is downloaded).
 * Two pages and one TCP client chat in one room; each sees the others' lines; one page reloads
 * and rejoins. A screenshot of each page is kept under {@code target/browser/} ({@link
 * Chromium} says what happens without a browser).
 */
class ChatPageBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final Chromium chromium = new Chromium();
  private EbsocketSystem system;
  private final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();

  @BeforeEach
  void startServer() {
    Chromium.assumeInstalled();
    system = new EbsocketSystem(RoomsChatServer.defaults(EbsocketServer.builder())
        .listen(Listener.tcp("127.0.0.1", 0))
        .listen(RoomsChatServer.webDoor("127.0.0.1", 0))
        .closeTimeout(Duration.ofMillis(500))
        .build());
    toClose.add(system);
    PrintStream log = new PrintStream(serverLog, true, StandardCharsets.UTF_8);
    Thread pump = new Thread(() -> RoomsChatServer.run(system, log), "rooms-chat");
    pump.setDaemon(true);
    pump.start();
  }

  @AfterEach
  void closeEverything() throws Exception {
    chromium.close();
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private WebDriver browser(String name) throws IOException {
    return chromium.open(name);
  }

  private URI page() {
    URI ws = system.server().uri(Door.WEB_SOCKET);
    return URI.create("http://" + ws.getHost() + ":" + ws.getPort() + "/");
  }

  private static void open(WebDriver browser, URI page) {
    browser.get(page.toString());
    awaitText(browser, "#status", "connected");
    awaitLine(browser, "* welcome, guest");
  }

  private static void type(WebDriver browser, String field, String text, String button) {
    WebElement input = browser.findElement(By.id(field));
    input.clear();
    input.sendKeys(text);
    browser.findElement(By.id(button)).click();
  }

  private static void say(WebDriver browser, String text) {
    type(browser, "text", text, "send");
  }

  private static List<String> lines(WebDriver browser) {
    List<String> lines = new ArrayList<>();
    for (WebElement line : browser.findElements(By.cssSelector("#log .line"))) {
      lines.add(line.getText());
    }
    return lines;
  }

  private static void awaitLine(WebDriver browser, String fragment) {
    await().atMost(WAIT).untilAsserted(
        () -> assertThat(lines(browser)).anySatisfy(l -> assertThat(l).contains(fragment)));
  }

  private static void awaitText(WebDriver browser, String css, String text) {
    await().atMost(WAIT).untilAsserted(
        () -> assertThat(browser.findElement(By.cssSelector(css)).getText()).isEqualTo(text));
  }

  @Test
  void twoPagesAndATcpClientChatInOneRoomAndAReloadedPageRejoins() throws Exception {
    URI page = page();
    WebDriver alice = browser("alice");
    WebDriver bob = browser("bob");
    open(alice, page);
    open(bob, page);
    type(alice, "nick", "alice", "set-nick");
    awaitLine(alice, "is now alice");
    type(bob, "nick", "bob", "set-nick");
    awaitLine(bob, "is now bob");
    type(alice, "room", "dev", "join");
    awaitLine(alice, "you joined dev");
    type(bob, "room", "dev", "join");
    awaitLine(bob, "you joined dev");

    List<String> carolHeard = new CopyOnWriteArrayList<>();
    EbsocketClient carol = EbsocketClient.builder().build();
    toClose.add(carol);
    carol.connectTo(system.server().uri(Door.TCP));
    carol.sendEvent(line("/nick carol"));
    carol.sendEvent(line("/join dev"));
    Thread reader = new Thread(() -> {
      while (carol.isConnected() || carol.closeStatus().isEmpty()) {
        carol.recvEvent(Duration.ofMillis(200))
            .ifPresent(e -> carolHeard.add(e.getString("content")));
      }
    }, "carol");
    reader.setDaemon(true);
    reader.start();
    awaitLine(alice, "carol joined dev");

    say(alice, "hello from alice");
    awaitLine(bob, "alice: hello from alice");
    await().atMost(WAIT).until(() -> carolHeard.stream().anyMatch(l -> l.contains("alice: hello from alice")));
    carol.sendEvent(line("hello from carol"));
    awaitLine(alice, "carol: hello from carol");
    awaitLine(bob, "carol: hello from carol");
    say(bob, "hello from bob");
    awaitLine(alice, "bob: hello from bob");
    await().atMost(WAIT).until(() -> carolHeard.stream().anyMatch(l -> l.contains("bob: hello from bob")));

    bob.findElement(By.id("who")).click();
    awaitLine(bob, "* in dev: alice, bob, carol");

    // Bob reloads: a new connection, a new guest, back in the room by hand.
    bob.navigate().refresh();
    awaitText(bob, "#status", "connected");
    awaitLine(alice, "bob left");
    type(bob, "nick", "bob", "set-nick");
    awaitLine(bob, "is now bob");
    type(bob, "room", "dev", "join");
    awaitLine(bob, "you joined dev");
    say(alice, "welcome back bob");
    awaitLine(bob, "alice: welcome back bob");
    await().atMost(WAIT).until(() -> carolHeard.stream().anyMatch(l -> l.contains("alice: welcome back bob")));

    Chromium.screenshot(alice, "chat-alice");
    Chromium.screenshot(bob, "chat-bob");
    assertThat(system.stats().connections()).isEqualTo(3);
    assertThat(system.stats().protocolErrors()).isZero();
  }

  private static EbsocketEvent line(String text) {
    return new EbsocketEvent("message").with("content", text);
  }
}
