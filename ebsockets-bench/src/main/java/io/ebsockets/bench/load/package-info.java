/**
 * The load engine shared by the soak tool and the load scenarios: many raw protocol clients on
 * one event-loop group, frames parsed in place (no JSON trees), send times carried in the
 * payload.
 */
package io.ebsockets.bench.load;
