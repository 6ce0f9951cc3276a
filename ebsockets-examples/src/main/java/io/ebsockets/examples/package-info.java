/**
 * The seed's relay server and two clients, ported, and a one-process chat demo. Each class is a
 * program: run it with {@code mvn -q -pl ebsockets-examples -am compile exec:java
 * -Dexec.mainClass=io.ebsockets.examples.NAME}.
 */
package io.ebsockets.examples;
