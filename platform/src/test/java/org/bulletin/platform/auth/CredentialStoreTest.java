package org.bulletin.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class CredentialStoreTest {
  private final CredentialStore store = new CredentialStore();
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  private void put(Partner p) {
    store.apply(CredentialCodec.recordKey(p), CredentialCodec.encode(p));
  }

  private void put(ApiKey k) {
    store.apply(CredentialCodec.recordKey(k), CredentialCodec.encode(k));
  }

  @Test
  void anIssuedKeyCarriesItsPrefixAndIsFoundByItsDigestOnly() {
    Partner p = new Partner("prt_1", "A", true, t0, t0);
    put(p);
    ApiKey.Issued issued = ApiKey.issue(KeyKind.PARTNER, p.id(), t0);
    put(issued.key());
    assertThat(issued.secret()).startsWith("bltn_prt_").hasSize("bltn_prt_".length() + 43);
    assertThat(new String(CredentialCodec.encode(issued.key()))).doesNotContain(issued.secret().substring(9));
    assertThat(issued.toString()).doesNotContain(issued.secret());
    assertThat(store.valid(ApiKey.sha256(issued.secret()))).map(ApiKey::id).contains(issued.key().id());
    assertThat(store.valid(ApiKey.sha256(issued.secret() + "x"))).isEmpty();
  }

  @Test
  void aRevokedKeyOrAKeyOfADisabledOrDeletedPartnerIsNotValid() {
    Partner p = new Partner("prt_1", "A", true, t0, t0);
    put(p);
    ApiKey.Issued a = ApiKey.issue(KeyKind.PARTNER, p.id(), t0);
    ApiKey.Issued b = ApiKey.issue(KeyKind.PARTNER, p.id(), t0);
    put(a.key());
    put(b.key());
    put(a.key().revoke(t0.plusSeconds(1)));
    assertThat(store.valid(ApiKey.sha256(a.secret()))).isEmpty();
    assertThat(store.valid(ApiKey.sha256(b.secret()))).isPresent();
    put(p.withEnabled(false, t0.plusSeconds(2)));
    assertThat(store.valid(ApiKey.sha256(b.secret()))).isEmpty();
    put(p.withEnabled(true, t0.plusSeconds(3)));
    assertThat(store.valid(ApiKey.sha256(b.secret()))).isPresent();
    store.apply(CredentialCodec.PARTNER_PREFIX + p.id(), null);
    assertThat(store.valid(ApiKey.sha256(b.secret()))).isEmpty();
  }

  @Test
  void aRevocationIsNotUndoneByAnOlderCopyOfTheKeyReadLater() {
    ApiKey.Issued k = ApiKey.issue(KeyKind.PUBLISHER, null, t0);
    put(k.key().revoke(t0.plusSeconds(1)));
    put(k.key());
    assertThat(store.valid(ApiKey.sha256(k.secret()))).isEmpty();
  }

  @Test
  void anInconsistentRecordIsRefused() {
    ApiKey bad = new ApiKey("key_1", KeyKind.PUBLISHER, "prt_1", "00".repeat(32), t0, null);
    assertThatThrownBy(() -> put(bad)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.apply("other:1", new byte[] {'{', '}'})).isInstanceOf(IllegalArgumentException.class);
  }
}
