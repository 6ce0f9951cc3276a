/** A cluster bus on Redis pub/sub through Lettuce: {@link io.ebsockets.redis.RedisBus}. */
package io.ebsockets.redis;
