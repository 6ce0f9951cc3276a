package io.ebsockets.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ebsockets.EbsocketServer;
import io.ebsockets.EbsocketSystem;
import io.ebsockets.testsupport.RedisServer;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Redis that wants a password, or an ACL user: the URI's credentials are used; a Redis that
 * speaks only TLS: rediss:// with the CA's certificate.
 */
class RedisAuthTest {
  @Test
  void aRedissUriSpeaksTlsVerifiedAgainstTheGivenCa(@TempDir Path dir) throws Exception {
    X509Bundle ca = new CertificateBuilder()
        .subject("CN=ebsockets test CA").setIsCertificateAuthority(true).ecp256().buildSelfSigned();
    X509Bundle cert = new CertificateBuilder()
        .subject("CN=127.0.0.1").addSanIpAddress("127.0.0.1")
        .ecp256().addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
    Path caPem = Files.writeString(dir.resolve("ca.pem"), ca.getCertificatePEM());
    Path chain = Files.writeString(dir.resolve("chain.pem"), cert.getCertificatePathPEM());
    Path key = Files.writeString(dir.resolve("key.pem"), cert.getPrivateKeyPEM());
    try (RedisServer redis = RedisServer.startTls(chain, key, caPem, "--requirepass", "s3cret")) {
      String uri = "rediss://:s3cret@127.0.0.1:" + redis.port();
      try (EbsocketSystem node = new EbsocketSystem(EbsocketServer.builder().port(0)
          .cluster(RedisBus.builder(uri).trustPem(caPem).build()).build())) {
        await().atMost(Duration.ofSeconds(10)).until(() -> node.stats().cluster().live());
      }
      assertThatThrownBy(() -> EbsocketServer.builder().port(0)
              .cluster(RedisBus.create(uri)).build())
          .as("the JVM's trust store does not know the test CA")
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot reach Redis at rediss://127.0.0.1:" + redis.port());
    }
  }

  @Test
  void aPasswordAndAnAclUserFromTheUriAreUsed() throws Exception {
    try (RedisServer redis = RedisServer.start(
        "--requirepass", "s3cret", "--user", "ebs", "on", ">pw", "~*", "&*", "+@all")) {
      String port = Integer.toString(redis.port());
      try (RelayNode withPassword = RelayNode.start("redis://:s3cret@127.0.0.1:" + port, "p");
          RelayNode withUser = RelayNode.start("redis://ebs:pw@127.0.0.1:" + port, "u");
          Peer there = new Peer("there", withUser.tcp(), null);
          Peer here = new Peer("here", withPassword.tcp(), null)) {
        here.send("bcast", "hello", 10, Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> there.size("hello") == 10);
        assertThat(there.stream("hello")).isEqualTo(Peer.oneTo(10));
      }
      assertThatThrownBy(() -> RelayNode.start("redis://ebs:wrong@127.0.0.1:" + port, "w"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot reach Redis at redis://127.0.0.1:" + port)
          .hasMessageContaining("WRONGPASS");
    }
  }
}
