package io.ebsockets.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ebsockets.examples.ProgramOptions.Option;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgramOptionsTest {
  private static final List<Option> OPTIONS =
      List.of(Option.value("port", "PORT", "the port"), Option.flag("quiet", "print nothing"));
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @Test
  void valuesAndFlagsAreReadByName() {
    Optional<Map<String, String>> values =
        ProgramOptions.parse("Relay", "relays", OPTIONS, out, "--port", "5", "--quiet");
    assertThat(values).contains(Map.of("port", "5", "quiet", "true"));
    assertThat(printed.size()).isZero();
  }

  @Test
  void aMistypedOptionIsAnErrorThatNamesItAndWhatIsExpected() {
    assertThatThrownBy(() -> ProgramOptions.parse("Relay", "relays", OPTIONS, out, "--prot", "5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'--prot'")
        .hasMessageContaining("expected: --port, --quiet");
  }

  @Test
  void aMissingValueIsAnError() {
    assertThatThrownBy(() -> ProgramOptions.parse("Relay", "relays", OPTIONS, out, "--port"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--port");
  }

  @Test
  void helpPrintsTheUsageWithEveryOption() {
    assertThat(ProgramOptions.parse("Relay", "relays", OPTIONS, out, "--help")).isEmpty();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("Usage: Relay")
        .contains("--port=PORT")
        .contains("--quiet")
        .contains("relays");
  }
}
