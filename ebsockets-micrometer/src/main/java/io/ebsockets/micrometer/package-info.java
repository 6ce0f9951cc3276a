/** Micrometer metrics of an ebsockets server: {@link io.ebsockets.micrometer.EbsocketMetrics}. */
package io.ebsockets.micrometer;
