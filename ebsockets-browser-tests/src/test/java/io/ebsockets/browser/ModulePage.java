package io.ebsockets.browser;

import org.openqa.selenium.JavascriptExecutor;

/**
 * A page showing {@link Chromium#MODULE_PAGE}, with ebsockets.js as {@code window.ebs}: the
 * browser tests drive ebsockets.js by running scripts in it.
 */
final class ModulePage {
  private final JavascriptExecutor page;

  ModulePage(JavascriptExecutor page) {
    this.page = page;
  }

  /**
   * Runs an async script in the page and returns what it passed to {@code done(value)}; an
   * exception it throws comes back as {@code "error: " + message}.
   */
  Object run(String body) {
    return page.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "(async () => {" + body + "})().catch(e => done('error: ' + e.message));");
  }

  /** The value of a JavaScript expression in the page. */
  Object eval(String expression) {
    return page.executeScript("return " + expression + ";");
  }
}
