/** The cluster benchmark: two nodes on one Redis beside one node alone. */
package io.ebsockets.bench.cluster;
