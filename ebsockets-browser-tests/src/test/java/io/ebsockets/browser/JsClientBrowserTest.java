package io.ebsockets.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.Admission;
import io.ebsockets.Door;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.EventRouter;
import io.ebsockets.Listener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ebsockets.js in a real browser, against a Java server: request/reply both ways, the async
 * iterator, a reconnect across a server restart with the offline buffer delivered in order, a
 * kick and a refusal surfaced with their reasons. The page only imports the module the server
 * serves; each step is a script run in it.
 */
class JsClientBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Chromium chromium = new Chromium();
  private final List<EbsocketEvent> collected = new CopyOnWriteArrayList<>();
  private final List<EbsocketEvent> quizAnswers = new CopyOnWriteArrayList<>();
  private EbsocketSystem system;
  private int port;
  private ModulePage page;

  @BeforeEach
  void start() throws Exception {
    Chromium.assumeInstalled();
    system = startServer(0);
    port = system.server().uri(Door.WEB_SOCKET).getPort();
    page = chromium.openModulePage("api", "http://127.0.0.1:" + port + "/api.html");
  }

  @AfterEach
  void stop() {
    chromium.close();
    if (system != null) {
      system.close();
    }
  }

  /** A server that answers the scripts' events, pumped on a thread of its own. */
  private EbsocketSystem startServer(int wsPort) {
    Admission tokenT = h -> "t".equals(h.helloValue("token").orElse(""))
        ? Admission.Verdict.admit() : Admission.Verdict.refuse("token t required");
    EbsocketSystem s = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.webSocket("127.0.0.1", wsPort, "/ebs")
            .withResource("/api.html", "text/html", Chromium.MODULE_PAGE)
            .withJavaScriptClient())
        .admission(tokenT)
        .closeTimeout(Duration.ofMillis(300))
        .build());
    EventRouter router = EventRouter.builder()
        .on("question", (from, e) -> s.reply(e, new EbsocketEvent("answer")
            .with("n", e.getInt("n") * 2)))
        .on("collect", (from, e) -> collected.add(e))
        .on("quiz-me", (from, e) -> s.request(from, new EbsocketEvent("quiz").with("q", "2+2"),
                Duration.ofSeconds(10))
            .thenAccept(quizAnswers::add))
        .on("push3", (from, e) -> {
          for (int i = 0; i < 3; i++) {
            s.sendEventTo(from, new EbsocketEvent("push").with("n", i));
          }
        })
        .on("kick-me", (from, e) -> from.close("asked for it"))
        .build();
    Thread pump = new Thread(() -> {
      while (!s.isClosed()) {
        router.dispatch(s.pump(Duration.ofMillis(100)));
      }
    }, "js-test-server");
    pump.setDaemon(true);
    pump.start();
    return s;
  }



  @Test
  void requestsRepliesAndTheAsyncIteratorWork() {
    Object answer = page.run(
        "window.c = new ebs.EbsocketClient('/ebs', {hello: {token: 't'}});"
            + "await c.connect();"
            + "const r = await c.request('question', {n: 21}, 5000);"
            + "done(r.type + ' ' + r.data.n);");
    assertThat(answer).isEqualTo("answer 42");

    Object quiz = page.run(
        "c.onEvent(e => { if (e.type === 'quiz') c.reply(e, 'quiz-answer', {a: 4}); });"
            + "c.sendEvent('quiz-me', {}); done('asked');");
    assertThat(quiz).isEqualTo("asked");
    await().atMost(WAIT).until(() -> !quizAnswers.isEmpty());
    assertThat(quizAnswers.get(0)).isEqualTo(new EbsocketEvent("quiz-answer").with("a", 4));

    Object pushed = page.run(
        "const c2 = new ebs.EbsocketClient('/ebs', {hello: {token: 't'}});"
            + "await c2.connect(); c2.sendEvent('push3', {});"
            + "const got = []; for await (const e of c2) { got.push(e.type + e.data.n);"
            + " if (got.length === 3) break; } c2.close(); done(got.join(','));");
    assertThat(pushed).isEqualTo("push0,push1,push2");

    Object timedOut = page.run(
        "try { await c.request('nobody-answers', {}, 200); done('answered?'); }"
            + " catch (e) { done(e.name + ' ' + e.reason); }");
    assertThat(timedOut).isEqualTo("RequestError timeout");
  }

  @Test
  void aServerRestartIsAReconnectAndWhatWasSentOfflineArrivesInOrder() {
    page.run("window.changes = [];"
        + "window.c = new ebs.EbsocketClient('/ebs', {hello: {token: 't'}, initialDelayMs: 50,"
        + " maxDelayMs: 200});"
        + "c.onConnectionChange(ch => changes.push(ch.kind + ':' + (ch.reason || ch.attempts)));"
        + "await c.connect(); done('up');");

    system.close();
    await().atMost(WAIT).until(() -> "reconnecting".equals(page.eval("c.state")));
    assertThat(page.eval("changes.join()")).isEqualTo("disconnected:server_shutdown");
    for (int i = 0; i < 5; i++) {
      assertThat(page.eval("c.sendEvent('collect', {n: " + i + "})")).isEqualTo(true);
    }
    system = startServer(port);

    await().atMost(WAIT).until(() -> collected.size() == 5);
    for (int i = 0; i < 5; i++) {
      assertThat(collected.get(i)).isEqualTo(new EbsocketEvent("collect").with("n", i));
    }
    assertThat((String) page.eval("changes.join()")).startsWith("disconnected:server_shutdown,reconnected:");
    assertThat(page.eval("c.state")).isEqualTo("connected");
  }

  @Test
  void aShutdownsHintIsWaitedOutAndTheClientFailsOverToTheNextEndpoint() {
    EbsocketSystem other = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs").withAnyOrigin())
        .closeTimeout(Duration.ofMillis(300)).build());
    try {
      String urls = "['ws://127.0.0.1:" + port + "/ebs', '"
          + other.server().uri(Door.WEB_SOCKET) + "']";
      page.run("window.changes = [];"
          + "window.c = new ebs.EbsocketClient(" + urls + ", {hello: {token: 't'},"
          + " initialDelayMs: 1, maxDelayMs: 1});"
          + "c.onConnectionChange(ch => changes.push({...ch, at: performance.now()}));"
          + "await c.connect(); done(c.url);");

      system.close(); // server_shutdown, with a hint of one to two seconds
      await().atMost(WAIT).until(() -> "connected".equals(page.eval("c.state"))
          && Boolean.TRUE.equals(page.eval("changes.length === 2")));
      assertThat(page.eval("changes[0].kind + ' ' + changes[0].reason"))
          .isEqualTo("disconnected server_shutdown");
      long hint = ((Number) page.eval("changes[0].retryAfterMs")).longValue();
      assertThat(hint).isBetween(1_000L, 2_000L);
      assertThat(page.eval("changes[1].kind")).isEqualTo("reconnected");
      double waited = ((Number) page.eval("changes[1].at - changes[0].at")).doubleValue();
      assertThat(waited).isGreaterThanOrEqualTo((double) hint);
      assertThat(page.eval("c.url")).isEqualTo(other.server().uri(Door.WEB_SOCKET).toString());
      await().atMost(WAIT).until(() -> other.clients().size() == 1);
    } finally {
      other.close();
    }
  }

  @Test
  void aKickAndARefusalAreSurfacedWithTheirReasons() {
    Object kicked = page.run(
        "const c = new ebs.EbsocketClient('/ebs', {hello: {token: 't'}});"
            + "await c.connect();"
            + "const ended = new Promise(r => c.onConnectionChange(ch => { if (ch.kind === 'ended') r(ch); }));"
            + "c.sendEvent('kick-me', {});"
            + "const ch = await ended; done(ch.reason + ' / ' + ch.message + ' / ' + c.state);");
    assertThat(kicked).isEqualTo("kicked / asked for it / ended");

    Object refused = page.run(
        "const c = new ebs.EbsocketClient('/ebs', {hello: {token: 'wrong'}});"
            + "try { await c.connect(); done('admitted?'); }"
            + " catch (e) { done(e.message + ' / ' + c.closeReason.reason); }");
    assertThat((String) refused)
        .contains("token t required").endsWith("/ unauthorized");
    assertThat(system.stats().refused()).isEqualTo(1);

    Object misuse = page.run(
        "const c = new ebs.EbsocketClient('/ebs');"
            + "try { c.sendEvent('x', {}); } catch (e) { done(e.message); }");
    assertThat(misuse).isEqualTo("not connected (expected: connect() first)");
    await().atMost(WAIT).until(() -> system.stats().connections() == 0);
  }
}
