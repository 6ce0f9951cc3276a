/** The long attacks of RELIABILITY.md, run by {@code bench/run.sh attacks}. */
package io.ebsockets.bench.attack;
