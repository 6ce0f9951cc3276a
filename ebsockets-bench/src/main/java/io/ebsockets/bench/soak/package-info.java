/** The soak tool: a mixed chat workload against a relay server for a given duration. */
package io.ebsockets.bench.soak;
