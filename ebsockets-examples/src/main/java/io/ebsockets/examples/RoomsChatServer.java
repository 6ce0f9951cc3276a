package io.ebsockets.examples;

import io.ebsockets.Admission;
import io.ebsockets.ConnectionStats;
import io.ebsockets.EbsocketConnection;
import io.ebsockets.EbsocketEvent;
import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.EventRouter;
import io.ebsockets.Listener;
import io.ebsockets.PresenceMember;
import io.ebsockets.SystemStats;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * A chat server with nicknames and rooms, built from groups, connection attributes, targeted
 * broadcast and the event router. It speaks the relay's protocol — {@code message} events with a
 * {@code content} line — so {@link ChatClient} and {@link RoomsChatClient} both work with it.
 *
 * <p>Everyone starts as {@code guestN} in the room {@code lobby}. A line is said to every room
 * you are in; lines starting with {@code /} are commands: {@code /nick NAME}, {@code /join ROOM},
 * {@code /leave ROOM}, {@code /msg NICK TEXT}, {@code /who [ROOM]}, {@code /whois NICK},
 * {@code /stats}.
 *
 * <pre>
 * mvn -q -pl ebsockets-examples -am compile exec:java \
 *     -Dexec.mainClass=io.ebsockets.examples.RoomsChatServer -Dexec.args="--port 7982 --web 8080"
 * </pre>
 *
 * <p>With {@code --web 8080}, browsers chat at {@code http://localhost:8080/} (one HTML page and
 * {@code /ebsockets.js}, over the WebSocket door at {@code /ebs}) in the same rooms as the TCP
 * clients.
 *
 * <p>With {@code --redis redis://127.0.0.1:6379}, several of these servers are one chat: start
 * two on two ports and the users of either see each other — lines, joins, {@code /who} and
 * {@code /msg} cross nodes through Redis (see docs/SCALING.md). A nickname is unique on its own
 * node only.
 */
public final class RoomsChatServer {
  /** What one chatter may send, on average: far above typing, far below a flood. */
  public static final int EVENTS_PER_SECOND = 20;

  /** The same in bytes of frames a second. */
  public static final long BYTES_PER_SECOND = 64 << 10;

  /** Every command, as the welcome, /help and an unknown command list them. */
  static final String COMMANDS = "/nick, /join, /leave, /msg, /who, /whois, /stats, /help";

  /** The room everyone starts in. */
  public static final String LOBBY = "lobby";
  private static final String NICK = "nick";

  private final EbsocketSystem system;
  private final PrintStream log;
  /** One node of several (a server's bus is fixed when it is built). */
  private final boolean clustered;

  private RoomsChatServer(EbsocketSystem system, PrintStream log) {
    this.system = system;
    this.log = log;
    this.clustered = system.stats().cluster().clustered();
  }

  /**
   * Runs the server until the process is stopped.
   *
   * @param args {@code --port N} (default 7982), {@code --host H}, {@code --tls-cert CHAIN.pem
   *     --tls-key KEY.pem} (speak TLS only, on every door), {@code --web PORT} (the chat page and
   *     a WebSocket door), {@code --token TOKEN} (admit only clients that present it), {@code
   *     --redis URI} (one node of a cluster on that Redis), {@code --node-id ID}
   */
  public static void main(String[] args) {
    Args.parseOrExit("RoomsChatServer",
            "A chat server with nicknames and rooms (/help lists the commands).", OPTIONS, args)
        .ifPresent(options -> options.runServingMetrics(
            options.serverSystem(b -> configure(b, options)), s -> run(s, System.out)));
  }

  /** The shared server options and this server's own. */
  static final java.util.List<ProgramOptions.Option> OPTIONS =
      Args.options(Args.SERVER,
          ProgramOptions.Option.value("web", "PORT",
              "also serve the chat page at /, /ebsockets.js and a WebSocket door at /ebs"),
          ProgramOptions.Option.value("token", "TOKEN",
              "admit only clients whose hello (or the page's ?token=) carries this token"));

  /** The path of the WebSocket door the chat page connects to. */
  public static final String WEB_SOCKET_PATH = "/ebs";

  static EbsocketServer.Builder configure(EbsocketServer.Builder builder, Args options) {
    defaults(builder);
    if (options.has("web")) {
      builder.listen(webDoor(options.get("host", null), options.getInt("web", 8080)));
    }
    if (options.has("token")) {
      builder.admission(tokenRequired(options.get("token", "")));
    }
    return builder;
  }

  /**
   * The chat page's door: the page at {@code /}, the JavaScript client at {@code /ebsockets.js},
   * the WebSocket door at {@value #WEB_SOCKET_PATH}, and a load balancer's health check at
   * {@code /health} (200, or 503 while the server shuts down).
   *
   * @param host the address to bind, or null for all interfaces
   * @param port the port, or 0 for a free one
   * @return the listener
   */
  public static Listener webDoor(String host, int port) {
    return Listener.webSocket(host, port, WEB_SOCKET_PATH)
        .withResource("/", "text/html", chatPage())
        .withJavaScriptClient()
        .withHealthPath("/health");
  }

  /**
   * Admits only connections that present {@code token}: as {@code token} in the hello's data
   * (the Java clients' {@code --token}, the chat page), or as the WebSocket upgrade's {@code
   * ?token=} query parameter. Compared in constant time.
   *
   * @param token the shared token, not empty
   * @return the admission hook
   */
  public static Admission tokenRequired(String token) {
    if (token.isEmpty()) {
      throw new IllegalArgumentException("--token: empty (expected: a shared secret)");
    }
    byte[] expected = token.getBytes(StandardCharsets.UTF_8);
    return handshake -> {
      String given = handshake.helloValue("token")
          .or(() -> handshake.queryParameter("token"))
          .orElse("");
      return MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))
          ? Admission.Verdict.admit()
          : Admission.Verdict.refuse("a valid token is required (--token)");
    };
  }

  private static String chatPage() {
    try (java.io.InputStream in = RoomsChatServer.class.getResourceAsStream("chat.html")) {
      if (in == null) {
        throw new IllegalStateException("chat.html is missing from the examples' jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("reading chat.html", e);
    }
  }

  /**
   * Applies what this server needs of any builder: its {@link #limits} and the nickname as the
   * attribute presence publishes (so {@code /who} names the members of other nodes too).
   *
   * @param builder a server builder
   * @return the same builder
   */
  public static EbsocketServer.Builder defaults(EbsocketServer.Builder builder) {
    return limits(builder).presenceAttributes(NICK);
  }

  /**
   * Applies this server's per-connection limits: each connection may send {@value
   * #EVENTS_PER_SECOND} events and {@value #BYTES_PER_SECOND} bytes a second on average (a
   * second's worth at once), so that one flooder is slowed down (its reads pause) instead of
   * filling everyone else's connection with its lines.
   *
   * @param builder a server builder
   * @return the same builder
   */
  public static EbsocketServer.Builder limits(EbsocketServer.Builder builder) {
    return builder.inboundRateLimit(EVENTS_PER_SECOND, BYTES_PER_SECOND);
  }

  /**
   * Pumps the system until it is closed.
   *
   * @param system the system to serve
   * @param log where to print connects and disconnects
   */
  public static void run(EbsocketSystem system, PrintStream log) {
    log.println("Rooms chat on " + system.server().uris());
    for (java.net.URI uri : system.server().uris()) {
      if ("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) {
        log.println("Chat page at " + ("wss".equals(uri.getScheme()) ? "https" : "http") + "://"
            + uri.getHost() + ":" + uri.getPort() + "/");
      }
    }
    new RoomsChatServer(system, log).serve();
  }

  private void serve() {
    EventRouter router = EventRouter.builder()
        .onConnect(this::welcome)
        .on("message", (from, event) -> line(from, event.getString("content")))
        .otherwise((from, event) -> tell(from, "* unknown event type '" + event.type() + "'"))
        .onDisconnect(this::goodbye)
        .build();
    while (!system.isClosed()) {
      router.dispatch(system.pump());
    }
  }

  private void welcome(EbsocketConnection client) {
    client.setAttribute(NICK, guestName(client.connectionId()));
    system.join(client, LOBBY);
    log.println("joined: " + client);
    tell(client, "* welcome, " + nick(client) + "; you are in " + LOBBY + " (" + COMMANDS + ")");
    system.sendEventToGroup(LOBBY, line("* " + nick(client) + " joined " + LOBBY), client);
  }

  private void goodbye(EbsocketConnection client) {
    log.println("left: " + client + " (" + client.closeStatus().orElseThrow() + ")");
    // The client has already left its groups; tell the rooms it was in, as we know them.
    system.sendEventToClients(line("* " + nick(client) + " left"));
  }

  private void line(EbsocketConnection from, String text) {
    if (!text.startsWith("/")) {
      say(from, text);
      return;
    }
    String[] words = text.split("\\s+", 3);
    String arg = words.length > 1 ? words[1] : "";
    switch (words[0]) {
      case "/nick" -> rename(from, arg);
      case "/join" -> join(from, arg);
      case "/leave" -> leave(from, arg);
      case "/msg" -> whisper(from, arg, words.length > 2 ? words[2] : "");
      case "/who" -> who(from, arg);
      case "/stats" -> stats(from);
      case "/whois" -> whois(from, arg);
      case "/help" -> help(from);
      default -> tell(from, "* unknown command " + words[0] + " (" + COMMANDS + ")");
    }
  }

  /**
   * A line goes once to everyone who shares a room with the sender, however many rooms they
   * share, labelled with the sender's rooms; it is encoded once. On a cluster a filter cannot
   * cross nodes, so the line goes to each room, labelled with that room.
   */
  private void say(EbsocketConnection from, String text) {
    Set<String> rooms = new TreeSet<>(system.groupsOf(from));
    if (rooms.isEmpty()) {
      tell(from, "* you are in no room: /join one");
      return;
    }
    if (clustered) {
      for (String room : rooms) {
        system.sendEventToGroup(room, line("[" + room + "] " + nick(from) + ": " + text), from);
      }
      return;
    }
    system.sendEventToClients(
        line("[" + String.join(", ", rooms) + "] " + nick(from) + ": " + text),
        client -> client != from && sharesARoom(client, rooms));
  }

  private boolean sharesARoom(EbsocketConnection client, Set<String> rooms) {
    for (String room : system.groupsOf(client)) {
      if (rooms.contains(room)) {
        return true;
      }
    }
    return false;
  }

  private void help(EbsocketConnection from) {
    tell(from, "* /nick NAME: take a nickname; /join ROOM, /leave ROOM; /msg NAME TEXT: a private"
        + " line; /who [ROOM]: who is in your rooms (or ROOM); /whois NAME; /stats; /help");
  }

  private void rename(EbsocketConnection from, String nick) {
    if (nick.isEmpty()) {
      tell(from, "* usage: /nick NAME");
    } else if (findByNick(nick) != null) {
      tell(from, "* " + nick + " is taken");
    } else {
      String old = nick(from);
      from.setAttribute(NICK, nick);
      system.updatePresence(from);
      system.sendEventToClients(line("* " + old + " is now " + nick));
    }
  }

  private void join(EbsocketConnection from, String room) {
    if (room.isEmpty()) {
      tell(from, "* usage: /join ROOM");
    } else if (system.join(from, room)) {
      system.sendEventToGroup(room, line("* " + nick(from) + " joined " + room), from);
      answer(from, nicks(room).thenApply(n -> "* you joined " + room + ": " + n));
    } else {
      tell(from, "* you are already in " + room);
    }
  }

  private void leave(EbsocketConnection from, String room) {
    if (system.leave(from, room)) {
      tell(from, "* you left " + room);
      system.sendEventToGroup(room, line("* " + nick(from) + " left " + room));
    } else {
      tell(from, "* you are not in " + room);
    }
  }

  private void whisper(EbsocketConnection from, String nick, String text) {
    if (nick.isEmpty() || text.isEmpty()) {
      tell(from, "* usage: /msg NAME TEXT");
      return;
    }
    EbsocketConnection to = findByNick(nick);
    String whispered = "[private] " + nick(from) + ": " + text;
    if (to != null) {
      tell(to, whispered);
      return;
    }
    // Not on this node: look for the name among the members of the sender's rooms, anywhere.
    CompletableFuture<io.ebsockets.ConnectionId> found = CompletableFuture.completedFuture(null);
    for (String room : new TreeSet<>(system.groupsOf(from))) {
      found = found.thenCompose(id -> id != null ? CompletableFuture.completedFuture(id)
          : system.presence().members(room).thenApply(members -> byNick(members, nick)));
    }
    answer(from, found.thenApply(id -> id != null && system.sendEventTo(id, line(whispered))
        ? null : "* no one is called " + nick));
  }

  private static io.ebsockets.ConnectionId byNick(
      java.util.List<PresenceMember> members, String nick) {
    for (PresenceMember m : members) {
      if (nick.equals(m.attributes().get(NICK))) {
        return m.id();
      }
    }
    return null;
  }

  private void who(EbsocketConnection from, String room) {
    Set<String> rooms = room.isEmpty() ? system.groupsOf(from) : Set.of(room);
    CompletableFuture<Void> inOrder = CompletableFuture.completedFuture(null);
    for (String r : new TreeSet<>(rooms)) {
      inOrder = inOrder.thenCompose(
          v -> answer(from, nicks(r).thenApply(n -> "* in " + r + ": " + n)));
    }
  }

  /**
   * Tells a client what a presence query found, when it is found (at once on a single node); a
   * null answer tells nothing. If the cluster cannot be asked, says so.
   */
  private CompletableFuture<Void> answer(
      EbsocketConnection client, CompletableFuture<String> text) {
    return text.handle((line, error) -> {
      if (error != null) {
        tell(client, "* the cluster cannot be asked now (" + error.getMessage() + ")");
      } else if (line != null) {
        tell(client, line);
      }
      return null;
    });
  }

  private void stats(EbsocketConnection from) {
    SystemStats stats = system.stats();
    tell(from, "* " + stats.connections() + " connected (peak " + stats.peakConnections()
        + "), " + stats.eventsIn() + " events in, " + stats.eventsOut() + " out, "
        + stats.protocolErrors() + " protocol errors, "
        + stats.slowConsumerDrops() + " slow consumers dropped");
    if (clustered) {
      io.ebsockets.ClusterStats c = stats.cluster();
      answer(from, system.presence().connectionCount().thenApply(n -> "* node " + c.nodeId()
          + " of a cluster " + (c.live() ? "that is live" : "whose bus is DOWN") + ": " + n
          + " connected in all, " + c.published() + " published, " + c.received()
          + " received, " + c.missed() + " missed, " + c.duplicates() + " duplicates dropped"));
    }
  }

  private void whois(EbsocketConnection from, String nick) {
    if (nick.isEmpty()) {
      tell(from, "* usage: /whois NAME");
      return;
    }
    EbsocketConnection who = findByNick(nick);
    if (who == null) {
      tell(from, "* no one is called " + nick);
      return;
    }
    ConnectionStats facts = who.stats();
    tell(from, "* " + nick + " from " + who.remoteAddress() + " since " + facts.connectedSince()
        + ", last heard " + facts.lastActivity() + ", " + facts.eventsIn() + " events in, "
        + facts.eventsOut() + " out, " + facts.queuedOutboundBytes() + " bytes queued");
  }

  /** The nicknames in a room, on every node, sorted. */
  private CompletableFuture<String> nicks(String room) {
    return system.presence().members(room).thenApply(members -> {
      Set<String> names = new TreeSet<>();
      for (PresenceMember m : members) {
        names.add(m.attributes().getOrDefault(NICK, guestName(m.id())));
      }
      return String.join(", ", names);
    });
  }

  private EbsocketConnection findByNick(String nick) {
    for (EbsocketConnection client : system.clients()) {
      if (nick.equals(client.attribute(NICK))) {
        return client;
      }
    }
    return null;
  }

  private String nick(EbsocketConnection client) {
    return client.attribute(NICK, String.class).orElse(guestName(client.connectionId()));
  }

  /**
   * {@code guest7} alone; on a cluster, where every node numbers from 1, {@code guest7@5e20}
   * (the end of the node's id), so that two nodes' seventh guests are told apart.
   */
  private String guestName(io.ebsockets.ConnectionId id) {
    if (!clustered) {
      return "guest" + id.local();
    }
    String node = id.node();
    return "guest" + id.local() + "@" + node.substring(Math.max(0, node.length() - 4));
  }

  private void tell(EbsocketConnection client, String text) {
    system.sendEventTo(client, line(text));
  }

  private static EbsocketEvent line(String text) {
    return new EbsocketEvent("message").with("content", text);
  }
}
