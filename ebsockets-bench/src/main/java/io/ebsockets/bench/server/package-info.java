/** Servers for the load scenarios: the raw-Netty baseline and the ebsockets echo server. */
package io.ebsockets.bench.server;
