package io.ebsockets.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium for the browser tests, driven through Debian's chromedriver, both
 * named explicitly so that Selenium downloads nothing. Each browser gets a fresh profile. Without
 * them a test is skipped with a message saying how to install them, except with {@code CI=true},
 * where it fails ({@code .ci/run} installs them).
 */
final class Chromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  /**
   * A page that only imports the module the server serves and exposes it as {@code window.ebs};
   * its title turns to {@code ready} once it has.
   */
  static final String MODULE_PAGE =
      "<!doctype html><meta charset=\"utf-8\"><title>loading</title>"
          + "<script type=\"module\">import * as ebs from \"/ebsockets.js\";"
          + " window.ebs = ebs; document.title = \"ready\";</script>";

  private final List<WebDriver> browsers = new ArrayList<>();

  /** Skips (or, on CI, fails) the calling test unless Chromium and its driver are installed. */
  static void assumeInstalled() {
    boolean present = Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but " + BINARY + " or " + DRIVER
          + " is missing (expected: .ci/run installs chromium and chromium-driver)");
    }
    Assumptions.assumeTrue(present, "browser tests need Chromium: sudo apt-get install chromium"
        + " chromium-driver (" + BINARY + ", " + DRIVER + ")");
  }

  /** A new headless browser with a profile of its own; quit by {@link #close()}. */
  WebDriver open(String name) throws IOException {
    Path profile = Files.createTempDirectory("ebsockets-chromium-" + name);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort()
        .build();
    WebDriver browser = new ChromeDriver(service, options);
    browsers.add(browser);
    return browser;
  }

  /**
   * Opens {@code url}, a {@link #MODULE_PAGE}, in a new browser and waits until it has imported
   * ebsockets.js.
   */
  ModulePage openModulePage(String name, String url) throws IOException {
    WebDriver browser = open(name);
    browser.get(url);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> "ready".equals(browser.getTitle()));
    return new ModulePage((org.openqa.selenium.JavascriptExecutor) browser);
  }

  /** Keeps a screenshot of the page under {@code target/browser/NAME.png}. */
  static void screenshot(WebDriver browser, String name) throws IOException {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Path dir = Path.of("target", "browser");
    Files.createDirectories(dir);
    Files.copy(shot.toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    for (WebDriver browser : browsers) {
      browser.quit();
    }
  }
}
