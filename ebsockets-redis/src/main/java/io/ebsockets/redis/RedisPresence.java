package io.ebsockets.redis;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebsockets.ConnectionId;
import io.ebsockets.PresenceMember;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Who is alive and who is where, kept in Redis the way Centrifugo keeps presence: a sorted set
 * of node expiry times (score: the Redis server's clock, so nodes' clocks do not matter) that
 * each node's heartbeat pushes forward, a hash of each node's epoch and connection count, and a
 * hash per group of its members. A member's entry carries its node's epoch; reads skip and prune
 * entries of nodes that have expired or restarted since, so a dead node's members vanish within
 * the node timeout without anyone cleaning up after it. Every change is one Lua script, atomic.
 *
 * <pre>
 *   {ns}:claim:&lt;node&gt;        string  epoch, expires after the node timeout
 *   {ns}:nodes               zset    node -&gt; expiry (ms)
 *   {ns}:epochs              hash    node -&gt; epoch
 *   {ns}:counts              hash    node -&gt; connections
 *   {ns}:presence:&lt;group&gt;    hash    node/local -&gt; "epoch {json attributes}"
 * </pre>
 *
 * <p><b>Threads.</b> Any; every call returns at once and completes on a Lettuce thread.
 */
final class RedisPresence {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() {};

  private static final String NOW =
      "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) ";

  /** KEYS claim, nodes, epochs, counts; ARGV node, epoch, ttl ms, count. '' or the holder. */
  private static final String HEARTBEAT = NOW
      + "local held = redis.call('GET', KEYS[1]) "
      + "if held and held ~= ARGV[2] then return held .. ' ' .. redis.call('PTTL', KEYS[1]) end "
      + "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) "
      + "redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1]) "
      + "redis.call('HSET', KEYS[3], ARGV[1], ARGV[2]) "
      + "redis.call('HSET', KEYS[4], ARGV[1], ARGV[4]) "
      + "return ''";

  /** KEYS claim, nodes, epochs, counts; ARGV node, epoch. */
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[2] then "
      + "redis.call('DEL', KEYS[1]) redis.call('ZREM', KEYS[2], ARGV[1]) "
      + "redis.call('HDEL', KEYS[3], ARGV[1]) redis.call('HDEL', KEYS[4], ARGV[1]) end "
      + "return ''";

  /** Forgets the nodes whose time is up; KEYS nodes, epochs, counts. */
  private static final String PRUNE = NOW
      + "for _, n in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do "
      + "redis.call('ZREM', KEYS[1], n) redis.call('HDEL', KEYS[2], n) "
      + "redis.call('HDEL', KEYS[3], n) end ";

  /** KEYS nodes, epochs, counts, group; the live members, as field, value, field, value... */
  private static final String MEMBERS = PRUNE
      + "local out = {} local all = redis.call('HGETALL', KEYS[4]) "
      + "for i = 1, #all, 2 do "
      + "local node = string.match(all[i], '^(.*)/') "
      + "local epoch = string.match(all[i + 1], '^(%S+) ') "
      + "if node and epoch and redis.call('HGET', KEYS[2], node) == epoch then "
      + "table.insert(out, all[i]) table.insert(out, all[i + 1]) "
      + "else redis.call('HDEL', KEYS[4], all[i]) end end "
      + "return out";

  /** KEYS nodes, epochs, counts; the sum of the live nodes' counts. */
  private static final String COUNT = PRUNE
      + "local sum = 0 local all = redis.call('HGETALL', KEYS[3]) "
      + "for i = 1, #all, 2 do sum = sum + tonumber(all[i + 1]) end "
      + "return sum";

  private final RedisAsyncCommands<String, String> redis;
  private final String ns;
  private final String nodes;
  private final String epochs;
  private final String counts;

  RedisPresence(RedisAsyncCommands<String, String> redis, String namespace) {
    this.redis = redis;
    // One hash tag for every key: on Redis Cluster the scripts' keys share a slot.
    this.ns = "{" + namespace + "}:";
    this.nodes = ns + "nodes";
    this.epochs = ns + "epochs";
    this.counts = ns + "counts";
  }

  /**
   * Claims (or keeps) a node id for one node timeout.
   *
   * @return completed with "" if held by this epoch now, or "epoch pttl" of the live holder
   */
  CompletionStage<String> heartbeat(String node, long epoch, long ttlMillis, int connections) {
    return redis.<String>eval(
        HEARTBEAT,
        ScriptOutputType.VALUE,
        new String[] {claim(node), nodes, epochs, counts},
        node,
        Long.toString(epoch),
        Long.toString(ttlMillis),
        Integer.toString(connections));
  }

  CompletionStage<String> release(String node, long epoch) {
    return redis.<String>eval(
        RELEASE,
        ScriptOutputType.VALUE,
        new String[] {claim(node), nodes, epochs, counts},
        node,
        Long.toString(epoch));
  }

  void joined(String group, ConnectionId member, long epoch, Map<String, String> attributes) {
    String value;
    try {
      value = epoch + " " + JSON.writeValueAsString(attributes);
    } catch (IOException e) {
      throw new UncheckedIOException("presence attributes of " + member, e);
    }
    redis.hset(ns + "presence:" + group, member.toString(), value);
  }

  void left(String group, ConnectionId member) {
    redis.hdel(ns + "presence:" + group, member.toString());
  }

  CompletableFuture<List<PresenceMember>> members(String group) {
    return redis.<List<Object>>eval(
            MEMBERS, ScriptOutputType.MULTI, nodes, epochs, counts, ns + "presence:" + group)
        .thenApply(RedisPresence::parseMembers)
        .toCompletableFuture();
  }

  CompletableFuture<Long> connectionCount() {
    return redis.<Long>eval(COUNT, ScriptOutputType.INTEGER, nodes, epochs, counts)
        .toCompletableFuture();
  }

  private static List<PresenceMember> parseMembers(List<Object> flat) {
    List<PresenceMember> members = new ArrayList<>(flat.size() / 2);
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      String value = String.valueOf(flat.get(i + 1));
      String json = value.substring(value.indexOf(' ') + 1);
      try {
        members.add(new PresenceMember(
            ConnectionId.parse(String.valueOf(flat.get(i))), JSON.readValue(json, ATTRIBUTES)));
      } catch (IOException | IllegalArgumentException e) {
        // an entry no node of this version wrote: not a member
      }
    }
    return List.copyOf(members);
  }

  private String claim(String node) {
    return ns + "claim:" + node;
  }
}
