package io.ebsockets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every Java snippet in README.md is an excerpt of code this build compiles. */
class ReadmeSnippetsTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  private static String squash(String code) {
    return code.replaceAll("\\s+", " ").trim();
  }

  @Test
  void everyJavaSnippetInTheReadmeIsInCompiledSource() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> snippets = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(readme);
    while (m.find()) {
      snippets.add(m.group(1));
    }
    String sources;
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      sources = files.filter(p -> p.toString().endsWith(".java"))
          .map(p -> {
            try {
              return squash(Files.readString(p));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .collect(Collectors.joining("\n"));
    }

    assertThat(snippets).hasSizeGreaterThanOrEqualTo(7);
    for (String snippet : snippets) {
      assertThat(sources).as("README snippet not found in ebsockets-examples sources:%n%s", snippet)
          .contains(squash(snippet));
    }
  }
}
