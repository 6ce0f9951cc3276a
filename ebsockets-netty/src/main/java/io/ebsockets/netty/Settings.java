package io.ebsockets.netty;

import io.ebsockets.ConnectionOptions;

/**
 * What a connection needs to know about its side.
 *
 * @param options the connection settings
 * @param client true on the client side: it says hello and waits for the welcome; the server
 *     answers
 */
record Settings(ConnectionOptions options, boolean client) {}
