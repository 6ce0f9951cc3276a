/**
 * ebsockets: event-based client/server programs with a pump loop.
 *
 * <p>Programs exchange {@link io.ebsockets.EbsocketEvent events} — a type string plus key/value
 * data. A server wraps an {@link io.ebsockets.EbsocketServer} in an {@link
 * io.ebsockets.EbsocketSystem} and calls {@link io.ebsockets.EbsocketSystem#pump()} in a loop; a
 * client is an {@link io.ebsockets.EbsocketClient}. The transport (Netty, in {@code
 * ebsockets-netty}) is found on the class path; see {@link io.ebsockets.spi}.
 */
package io.ebsockets;
