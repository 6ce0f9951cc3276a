/** What turning a connection away over the accept rate costs the server, by door. */
package io.ebsockets.bench.refusal;
