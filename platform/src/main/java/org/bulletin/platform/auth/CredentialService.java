package org.bulletin.platform.auth;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Changes partners and keys: each change is written to the compacted credentials topic (the only
 * store) and, once Kafka acknowledged it, applied to this instance's store; other instances apply
 * it when their tailer reads it (within a poll, a fraction of a second). Futures complete on the
 * caller's context.
 */
public final class CredentialService {
  /** Writes one record of the credentials topic durably ({@code value} null: a tombstone). */
  @FunctionalInterface
  public interface Sender {
    Future<RecordMetadata> send(String key, byte[] value);
  }

  /** A partner just created, with its first key (shown once). */
  public record CreatedPartner(Partner partner, ApiKey.Issued key) {}

  private final CredentialStore store;
  private final Sender sender;
  private final Clock clock;

  public CredentialService(CredentialStore store, Sender sender, Clock clock) {
    this.store = store;
    this.sender = sender;
    this.clock = clock;
  }

  public CredentialStore store() {
    return store;
  }

  /** A new partner and its first key; the partner is written before its key. */
  public Future<CreatedPartner> createPartner(String name) {
    Instant now = clock.instant();
    Partner p = new Partner(ApiKey.newId("prt_"), name, true, now, now);
    return save(p).compose(saved -> issueKey(KeyKind.PARTNER, saved.id()).map(k -> new CreatedPartner(saved, k)));
  }

  public Future<Partner> rename(Partner p, String name) {
    return save(p.renamed(name, clock.instant()));
  }

  /** A disabled partner's keys are refused at once; enabling makes its unrevoked keys valid again. */
  public Future<Partner> setEnabled(Partner p, boolean enabled) {
    return save(p.withEnabled(enabled, clock.instant()));
  }

  /** Revokes every key of the partner, then deletes it (a tombstone). */
  public Future<Void> deletePartner(Partner p) {
    Future<Void> chain = Future.succeededFuture();
    for (ApiKey k : store.keys(p.id())) {
      if (!k.revoked()) {
        chain = chain.compose(v -> revoke(k).mapEmpty());
      }
    }
    return chain.compose(v -> sender.send(CredentialCodec.PARTNER_PREFIX + p.id(), null)).map(m -> {
      store.removePartner(p.id());
      return null;
    });
  }

  /** A new key of {@code kind}; {@code partnerId} names the partner of a partner key, else null. */
  public Future<ApiKey.Issued> issueKey(KeyKind kind, String partnerId) {
    ApiKey.Issued issued = ApiKey.issue(kind, partnerId, clock.instant());
    return sender.send(CredentialCodec.recordKey(issued.key()), CredentialCodec.encode(issued.key())).map(m -> {
      store.apply(issued.key());
      return issued;
    });
  }

  public Future<ApiKey> revoke(ApiKey k) {
    ApiKey revoked = k.revoke(clock.instant());
    return sender.send(CredentialCodec.recordKey(revoked), CredentialCodec.encode(revoked)).map(m -> {
      store.apply(revoked);
      return revoked;
    });
  }

  public Optional<Partner> partner(String id) {
    return store.partner(id);
  }

  private Future<Partner> save(Partner p) {
    return sender.send(CredentialCodec.recordKey(p), CredentialCodec.encode(p)).map(m -> {
      store.apply(p);
      return p;
    });
  }
}
