package io.ebsockets.examples;

import static io.ebsockets.examples.ChatLines.next;
import static io.ebsockets.examples.ChatLines.say;
import static io.ebsockets.examples.ChatLines.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rooms chat example, driven end to end by test clients over loopback. */
class RoomsChatTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ExecutorService pool = Executors.newSingleThreadExecutor();
  private final List<EbsocketClient> clients = new ArrayList<>();
  private EbsocketSystem system;
  private Future<?> server;

  @BeforeEach
  void start() {
    system =
        new EbsocketSystem(
            RoomsChatServer.defaults(EbsocketServer.builder().host("127.0.0.1").port(0)).build());
    PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    server = pool.submit(() -> RoomsChatServer.run(system, log));
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(EbsocketClient::close);
    system.close();
    server.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    pool.shutdownNow();
  }

  private EbsocketClient join(String nick) throws IOException {
    EbsocketClient client = new EbsocketClient();
    clients.add(client);
    client.connectTo(system.server().address());
    assertThat(next(client)).startsWith("* welcome, guest")
        .endsWith("(" + RoomsChatServer.COMMANDS + ")");
    say(client, "/nick " + nick);
    assertThat(until(client, "is now " + nick)).endsWith("is now " + nick);
    return client;
  }


  @Test
  void aFlooderIsHeldToItsShareWhileOthersChatOn() throws IOException {
    EbsocketClient flooder = join("flood");
    EbsocketClient alice = join("alice");
    EbsocketClient bob = join("bob");
    int lines = 20 * RoomsChatServer.EVENTS_PER_SECOND; // twenty seconds' worth at its limit
    for (int i = 0; i < lines; i++) {
      say(flooder, "spam " + i);
    }
    say(bob, "still here");
    assertThat(until(alice, "still here")).isEqualTo("[lobby] bob: still here");
    // Bob was heard behind a second or so of the flood, not behind all of it: the rest waits in
    // the flooder's socket (its reads are paused), and nothing of it is lost.
    assertThat(system.stats().eventsIn()).isLessThan(lines);
    assertThat(flooder.isConnected()).isTrue();
  }

  @Test
  void nicknamesRoomsPrivateMessagesAndWhoWorkEndToEnd() throws IOException {
    EbsocketClient alice = join("alice");
    EbsocketClient bob = join("bob");
    EbsocketClient carol = join("carol");

    say(alice, "/join dev");
    assertThat(until(alice, "you joined dev")).isEqualTo("* you joined dev: alice");
    say(bob, "/join dev");
    assertThat(until(alice, "joined dev")).isEqualTo("* bob joined dev");
    assertThat(until(bob, "you joined dev")).isEqualTo("* you joined dev: alice, bob");

    say(alice, "/leave lobby");
    assertThat(until(alice, "you left")).isEqualTo("* you left lobby");
    say(alice, "hello dev");
    assertThat(until(bob, "hello")).isEqualTo("[dev] alice: hello dev");

    say(carol, "/msg alice psst");
    assertThat(until(alice, "[private]")).isEqualTo("[private] carol: psst");
    say(carol, "/msg");
    assertThat(until(carol, "usage")).isEqualTo("* usage: /msg NAME TEXT");
    say(carol, "/help");
    assertThat(until(carol, "/nick NAME")).contains("/msg NAME TEXT").contains("/stats");

    say(alice, "/who dev");
    assertThat(until(alice, "* in dev")).isEqualTo("* in dev: alice, bob");
    say(carol, "/who");
    assertThat(until(carol, "* in lobby")).isEqualTo("* in lobby: bob, carol");

    say(carol, "/nick bob");
    assertThat(until(carol, "taken")).isEqualTo("* bob is taken");
    say(carol, "lobby only");
    assertThat(until(bob, "lobby only")).isEqualTo("[lobby] carol: lobby only");

    bob.close();
    assertThat(until(alice, "left")).isEqualTo("* bob left");
    say(alice, "/who dev");
    assertThat(until(alice, "* in dev")).isEqualTo("* in dev: alice");
    // carol never heard what was said in dev
    say(alice, "/msg carol done");
    List<String> heard = new ArrayList<>();
    String line = next(carol);
    while (!line.startsWith("[private]")) {
      heard.add(line);
      line = next(carol);
    }
    assertThat(heard).noneMatch(l -> l.startsWith("[dev]"));
  }

  @Test
  void theRoomsClientSetsItsNickAndRoomThenChats() throws Exception {
    EbsocketClient alice = join("alice");
    say(alice, "/join dev");
    until(alice, "you joined dev");

    java.io.PipedWriter keyboard = new java.io.PipedWriter();
    java.io.BufferedReader typed = new java.io.BufferedReader(new java.io.PipedReader(keyboard));
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    ExecutorService clientThread = Executors.newSingleThreadExecutor();
    try {
      Future<?> running = clientThread.submit(() -> {
        ChatClient.run(io.ebsockets.EbsocketClient.builder(), "127.0.0.1", system.server().address().getPort(),
            List.of("/nick dave", "/join dev"), typed,
            new PrintStream(screen, true, StandardCharsets.UTF_8), true);
        return null;
      });
      assertThat(until(alice, "dave joined dev")).isEqualTo("* dave joined dev");
      keyboard.write("hi from dave\n");
      keyboard.flush();
      // alice and dave share lobby and dev: the line comes once, labelled with both rooms.
      assertThat(until(alice, "dave:")).isEqualTo("[dev, lobby] dave: hi from dave");
      say(alice, "welcome dave");
      say(alice, "/msg dave that was all");
      org.awaitility.Awaitility.await().atMost(WAIT).until(
          () -> screen.toString(StandardCharsets.UTF_8).contains("[private] alice: that was all"));
      String seen = screen.toString(StandardCharsets.UTF_8);
      assertThat(seen.split("alice: welcome dave", -1)).as("heard once").hasSize(2);
      assertThat(seen).contains("[dev, lobby] alice: welcome dave");
      keyboard.close();
      running.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(screen.toString(StandardCharsets.UTF_8)).doesNotContain("Received:");
    } finally {
      clientThread.shutdownNow();
    }
  }

  @Test
  void withTokenOnlyClientsThatPresentItGetInOverEitherDoor() throws Exception {
    Args args = Args.parse(RoomsChatServer.OPTIONS,
        "--host", "127.0.0.1", "--port", "0", "--web", "0", "--token", "s3cret");
    try (EbsocketSystem guarded = new EbsocketSystem(
        RoomsChatServer.configure(EbsocketServer.builder(), args)
            .listen(io.ebsockets.Listener.tcp("127.0.0.1", 0)).build())) {
      assertThat(guarded.server().uris()).extracting(java.net.URI::getScheme)
          .containsExactly("ws", "ebs");
      for (java.net.URI uri : guarded.server().uris()) {
        try (EbsocketClient without = new EbsocketClient()) {
          assertThatThrownBy(() -> without.connectTo(uri))
              .isInstanceOf(IOException.class)
              .hasMessageContaining("unauthorized")
              .hasMessageContaining("a valid token is required (--token)");
        }
        EbsocketClient with = Args.parse("--token", "s3cret").clientBuilder().build();
        clients.add(with);
        with.connectTo(uri);
        assertThat(with.isConnected()).isTrue();
      }
      assertThat(guarded.stats().refused()).isEqualTo(2);
    }
  }
}
