package io.ebsockets.examples;

import io.ebsockets.examples.ProgramOptions.Option;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A client for {@link RoomsChatServer}: sets a nickname and joins a room, then works like {@link
 * ChatClient}, printing only the chat lines.
 *
 * <pre>
 * mvn -q -pl ebsockets-examples -am compile exec:java \
 *     -Dexec.mainClass=io.ebsockets.examples.RoomsChatClient \
 *     -Dexec.args="--port 7982 --nick alice --room dev"
 * </pre>
 *
 * <p>Options: {@code --host H}, {@code --port N} (asked for when absent), {@code --nick NAME},
 * {@code --room ROOM}, and {@link ChatClient}'s {@code --tls}, {@code --tls-trust CA.pem}, {@code
 * --tls-insecure} and {@code --reconnect}. Type lines to talk; {@code /join}, {@code /leave}, {@code /msg NICK TEXT},
 * {@code /who}, {@code /nick} work as the server describes. Ctrl-D leaves.
 */
public final class RoomsChatClient {
  private RoomsChatClient() {}

  /**
   * Runs the client until end of input or until the server closes.
   *
   * @param args see the class documentation
   * @throws IOException if it cannot connect
   */
  public static void main(String[] args) throws IOException {
    Optional<Prompt.Target> given = Prompt.target("RoomsChatClient",
        "A client for RoomsChatServer: /help there lists the commands.",
        Args.options(Args.CLIENT,
            Option.value("nick", "NAME", "take this nickname at once"),
            Option.value("room", "ROOM", "join this room at once")), args);
    if (given.isEmpty()) {
      return; // --help
    }
    Prompt.Target target = given.get();
    Args options = target.options();
    List<String> first = new ArrayList<>();
    if (options.has("nick")) {
      first.add("/nick " + options.get("nick", ""));
    }
    if (options.has("room")) {
      first.add("/join " + options.get("room", ""));
    }
    try {
      ChatClient.run(options.clientBuilder(), target.host(), target.port(), first, target.in(),
          System.out, true);
    } catch (IOException e) {
      Prompt.exitCannotConnect("RoomsChatClient", e);
    }
  }
}
