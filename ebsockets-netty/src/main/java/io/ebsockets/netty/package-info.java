/**
 * The Netty transport of ebsockets. Adding {@code io.ebsockets:ebsockets-netty} to the class path
 * is all an application does; {@link io.ebsockets.netty.NettyTransportProvider} is found with
 * {@link java.util.ServiceLoader}. Everything else here is package-private.
 */
package io.ebsockets.netty;
