/**
 * The small interface between the facades of {@code io.ebsockets} and a transport. Application
 * code never needs it; a transport implements {@link io.ebsockets.spi.TransportProvider} and lists
 * it in {@code META-INF/services/io.ebsockets.spi.TransportProvider}.
 */
package io.ebsockets.spi;
