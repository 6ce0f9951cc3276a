package io.ebsockets.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ebsockets.Door;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.Listener;
import io.ebsockets.PumpResult;
import io.ebsockets.Resumption;
import io.ebsockets.testsupport.CuttingProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ebsockets.js resumes its session in a real browser: its WebSocket goes through a {@link
 * CuttingProxy} that resets it at random while both directions are busy, and nothing is lost,
 * repeated or reordered either way; a session whose window passed is reported as expired, with
 * the events the server never acknowledged handed back.
 */
class JsResumeBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** How many connections the busy test cuts: fewer than the Java clients' thousand, as a page reconnects slower. */
  private static final int CUTS = 200;

  private final Chromium chromium = new Chromium();
  private final List<String> serverErrors = new CopyOnWriteArrayList<>();
  private final List<EbsocketConnection> opened = new CopyOnWriteArrayList<>();
  private final List<EbsocketConnection> closed = new CopyOnWriteArrayList<>();
  private final List<EbsocketEvent> events = new CopyOnWriteArrayList<>();
  private volatile long lastFromClient;
  private EbsocketSystem system;
  private CuttingProxy proxy;
  private ModulePage page;

  private void start(Resumption resumption) throws Exception {
    Chromium.assumeInstalled();
    system = new EbsocketSystem(EbsocketServer.builder()
        .listen(Listener.webSocket("127.0.0.1", 0, "/ebs")
            .withResource("/api.html", "text/html", Chromium.MODULE_PAGE)
            .withJavaScriptClient())
        .resumption(resumption)
        .closeTimeout(Duration.ofMillis(300))
        .build());
    int port = system.server().uri(Door.WEB_SOCKET).getPort();
    proxy = CuttingProxy.to(new InetSocketAddress("127.0.0.1", port));
    Thread pump = new Thread(this::serve, "js-resume-server");
    pump.setDaemon(true);
    pump.start();
    // The page through the proxy too, before it is armed: same origin as the socket it opens.
    page = chromium.openModulePage("resume", "http://127.0.0.1:" + proxy.port() + "/api.html");
  }

  /** Checks the client's stream and answers each event with the next of its own. */
  @SuppressWarnings("NonAtomicVolatileUpdate") // one writer: this thread
  private void serve() {
    long sentToClient = 0;
    while (!system.isClosed()) {
      PumpResult r = system.pump(Duration.ofMillis(50));
      opened.addAll(r.newClients());
      for (EbsocketEvent e : r.newEvents()) {
        events.add(e);
        long n = e.getLong("n");
        if (n != lastFromClient + 1) {
          serverErrors.add("server got " + n + " after " + lastFromClient);
        }
        lastFromClient = n;
        if ("c".equals(e.type())) {
          system.sendEventTo(e.source().orElseThrow(),
              new EbsocketEvent("s").with("n", ++sentToClient));
        }
      }
      closed.addAll(r.disconnectedClients());
    }
  }

  @AfterEach
  void stop() {
    chromium.close();
    if (proxy != null) {
      proxy.close();
    }
    if (system != null) {
      system.close();
    }
  }



  /** A resumable client through the proxy, its changes and the server's stream kept in res. */
  private String connectThroughProxy() {
    return "window.res = {sent: 0, got: 0, errors: [], changes: []};"
        + "window.c = new ebs.EbsocketClient('/ebs',"
        + " {resumable: true, initialDelayMs: 5, maxDelayMs: 50, offlineBufferEvents: 100000});"
        + "c.onConnectionChange(ch => res.changes.push(ch));"
        + "c.onEvent(e => { if (e.data.n !== res.got + 1) res.errors.push('client got '"
        + " + e.data.n + ' after ' + res.got); res.got = e.data.n; });"
        + "await c.connect();";
  }

  @Test
  void cutsWhileBothDirectionsAreBusyLoseNothingRepeatNothingReorderNothing() throws Exception {
    start(Resumption.defaults().withReplayBuffer(100_000, 64L << 20));
    Object started = page.run(connectThroughProxy()
        + "window.stopSending = false;"
        + "(async () => { while (!stopSending) {"
        + "  while (res.sent - res.got < 200 && !stopSending) {"
        + "    c.sendEvent('c', {n: ++res.sent, pad: 'x'.repeat(40)}); }"
        + "  await new Promise(r => setTimeout(r, 1)); } })();"
        + "done('started');");
    assertThat(started).isEqualTo("started");

    proxy.arm(1, 24_000);
    await().atMost(Duration.ofMinutes(3)).until(() -> proxy.cuts() >= CUTS);
    proxy.disarm();
    page.eval("window.stopSending = true");
    long sent = ((Number) page.eval("res.sent")).longValue();
    await().atMost(WAIT).until(() -> lastFromClient == sent
        && ((Number) page.eval("res.got")).longValue() == sent);

    assertThat(page.eval("res.errors.join()")).as("server to client").isEqualTo("");
    assertThat(serverErrors).as("client to server").isEmpty();
    assertThat(page.eval("[...new Set(res.changes.map(ch => ch.kind))].sort().join()"))
        .isEqualTo("disconnected,resumed");
    assertThat(opened).as("one client, resumed, never a new one").hasSize(1);
    assertThat(closed).as("no disconnect reported").isEmpty();
    assertThat(opened.get(0).resumes())
        .isGreaterThanOrEqualTo(((Number) page.eval("res.changes.filter(ch => ch.kind === 'resumed')"
            + ".length")).longValue())
        .isPositive();
    assertThat(system.stats().sessions().refused()).isZero();
  }

  @Test
  void aSessionNotResumedInTimeIsReportedExpiredAndHandsBackWhatWasNotAcknowledged()
      throws Exception {
    start(Resumption.defaults().withWindow(Duration.ofMillis(300)));
    assertThat(page.run(connectThroughProxy() + "c.sendEvent('first', {n: 1}); done('up');"))
        .isEqualTo("up");
    await().atMost(WAIT).until(() -> lastFromClient == 1);
    EbsocketConnection connection = opened.get(0);

    proxy.cutNow(true);
    await().atMost(WAIT).until(() -> "reconnecting".equals(page.eval("c.state")));
    assertThat(page.eval("c.sendEvent('offline', {n: 2})")).isEqualTo(true);
    Object pending = page.run("window.req = c.request('question', {n: 3}, 20000)"
        + ".then(() => 'answered', e => e.name + ' ' + e.reason); done('asked');");
    assertThat(pending).isEqualTo("asked");
    await().atMost(WAIT).until(() -> closed.contains(connection));
    assertThat(connection.closeStatus().orElseThrow().message())
        .contains("session expired: not resumed within");
    proxy.admit();

    await().atMost(WAIT).until(() -> (Boolean) page.eval(
        "res.changes.some(ch => ch.kind === 'session_expired')"));
    assertThat(page.eval("JSON.stringify(res.changes.find(ch => ch.kind === 'session_expired')"
        + ".unacknowledged)"))
        .isEqualTo("[{\"type\":\"offline\",\"data\":{\"n\":2}},"
            + "{\"type\":\"question\",\"data\":{\"n\":3}}]");
    assertThat(page.run("done(await req);")).isEqualTo("RequestError session_expired");
    await().atMost(WAIT).until(() -> opened.size() == 2);
    assertThat(events).as("handed back, not sent again").hasSize(1);
    assertThat(page.eval("c.state")).isEqualTo("connected");
  }
}
