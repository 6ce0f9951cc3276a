/**
 * What every test JVM of the project shares: the leak check that turns Netty's leak reports into
 * failures, and the Logback configuration that records them. A test dependency of the transport
 * and the examples; never published, never on an application's class path.
 */
package io.ebsockets.testsupport;
