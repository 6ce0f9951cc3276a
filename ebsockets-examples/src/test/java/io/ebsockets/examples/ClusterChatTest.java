package io.ebsockets.examples;

import static io.ebsockets.examples.ChatLines.say;
import static io.ebsockets.examples.ChatLines.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.ebsockets.EbsocketClient;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.testsupport.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's two-node chat: {@code RoomsChatServer --redis URI} started twice on two ports,
 * with options parsed as on the command line; users on either see each other.
 */
class ClusterChatTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private RedisServer redis;
  private final List<EbsocketSystem> nodes = new ArrayList<>();
  private final List<EbsocketClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    redis = RedisServer.start();
    for (int i = 0; i < 2; i++) {
      Args options = Args.parse(RoomsChatServer.OPTIONS,
          new String[] {"--host", "127.0.0.1", "--port", "0", "--redis", redis.uri()});
      EbsocketSystem system =
          options.serverSystem(b -> RoomsChatServer.configure(b, options));
      nodes.add(system);
      PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      Thread pump = new Thread(() -> RoomsChatServer.run(system, log), "chat-node-" + i);
      pump.setDaemon(true);
      pump.start();
    }
  }

  @AfterEach
  void stop() throws IOException {
    clients.forEach(EbsocketClient::close);
    nodes.forEach(EbsocketSystem::close);
    redis.close();
  }

  @Test
  void usersOnEitherNodeSeeEachOtherWhoAndWhisperAcrossNodes() throws IOException {
    EbsocketClient alice = join(nodes.get(0), "alice");
    EbsocketClient bob = join(nodes.get(1), "bob");
    assertThat(nodes.get(0).nodeId()).isNotEqualTo(nodes.get(1).nodeId());
    // A node hears a room from the moment Redis has its subscription (docs/SCALING.md).
    awaitSubscribers("ebs:group:lobby", 2);

    say(alice, "hello from node one");
    assertThat(until(bob, "hello")).isEqualTo("[lobby] alice: hello from node one");
    say(bob, "hi alice");
    assertThat(until(alice, "hi alice")).isEqualTo("[lobby] bob: hi alice");

    say(alice, "/who");
    assertThat(until(alice, "* in lobby")).isEqualTo("* in lobby: alice, bob");
    say(bob, "/msg alice across");
    assertThat(until(alice, "[private]")).isEqualTo("[private] bob: across");
    say(bob, "/msg nobody hello");
    assertThat(until(bob, "no one")).isEqualTo("* no one is called nobody");

    say(alice, "/join dev");
    until(alice, "you joined dev");
    awaitSubscribers("ebs:group:dev", 1);
    say(bob, "/join dev");
    assertThat(until(alice, "bob joined dev")).isEqualTo("* bob joined dev");
    // Each node's count reaches the others with its next heartbeat (every 2 s by default).
    org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
      say(alice, "/stats");
      String line = until(alice, "of a cluster");
      assertThat(line).contains("that is live");
      return line.contains("2 connected in all");
    });
  }

  private void awaitSubscribers(String channel, int nodes) {
    org.awaitility.Awaitility.await().atMost(WAIT).until(() ->
        redis.command("PUBSUB SHARDNUMSUB " + channel).trim().endsWith(":" + nodes));
  }

  private EbsocketClient join(EbsocketSystem node, String nick) throws IOException {
    EbsocketClient client = new EbsocketClient();
    clients.add(client);
    client.connectTo(node.server().address());
    until(client, "* welcome");
    say(client, "/nick " + nick);
    until(client, "is now " + nick);
    return client;
  }

}
