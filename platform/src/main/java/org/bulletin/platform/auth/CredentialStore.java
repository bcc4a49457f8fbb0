package org.bulletin.platform.auth;

import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Partners and issued keys, materialized from the compacted credentials topic by every instance
 * (and updated at once by this instance's own writes). Thread-safe: the credentials tailer applies
 * records on its thread, request handlers read on event loops.
 */
public final class CredentialStore {
  private final Map<String, Partner> partners = new ConcurrentHashMap<>();
  private final Map<String, ApiKey> keysById = new ConcurrentHashMap<>();
  private final Map<String, ApiKey> keysByDigest = new ConcurrentHashMap<>();
  private volatile BooleanSupplier loaded = () -> true;

  /** Until {@code isLoaded} is true, issued keys are answered with 503 rather than refused. */
  public void loadedWhen(BooleanSupplier isLoaded) {
    this.loaded = isLoaded;
  }

  public boolean isLoaded() {
    return loaded.getAsBoolean();
  }

  /** Applies one record of the topic ({@code value} null: a tombstone). Unreadable values throw. */
  public void apply(String recordKey, byte[] value) {
    if (recordKey == null) {
      throw new IllegalArgumentException("credential record without a key");
    }
    if (recordKey.startsWith(CredentialCodec.PARTNER_PREFIX)) {
      String id = recordKey.substring(CredentialCodec.PARTNER_PREFIX.length());
      if (value == null) {
        partners.remove(id);
      } else {
        Partner p = CredentialCodec.decodePartner(value);
        partners.merge(id, p, (old, fresh) -> fresh.updatedAt().isBefore(old.updatedAt()) ? old : fresh);
      }
    } else if (recordKey.startsWith(CredentialCodec.KEY_PREFIX)) {
      String id = recordKey.substring(CredentialCodec.KEY_PREFIX.length());
      if (value == null) {
        ApiKey gone = keysById.remove(id);
        if (gone != null) {
          keysByDigest.remove(gone.sha256Hex());
        }
      } else {
        apply(CredentialCodec.decodeKey(value));
      }
    } else {
      throw new IllegalArgumentException("unknown credential record key " + recordKey);
    }
  }

  void apply(Partner p) {
    partners.merge(p.id(), p, (old, fresh) -> fresh.updatedAt().isBefore(old.updatedAt()) ? old : fresh);
  }

  void removePartner(String id) {
    partners.remove(id);
  }

  /** A revocation always wins over an older copy of the same key. */
  void apply(ApiKey k) {
    ApiKey merged = keysById.merge(k.id(), k, (old, fresh) -> old.revoked() && !fresh.revoked() ? old : fresh);
    keysByDigest.put(merged.sha256Hex(), merged);
  }

  /**
   * The valid key whose digest is {@code digest}: not revoked and, for a partner key, of a partner
   * that exists and is enabled.
   */
  public Optional<ApiKey> valid(byte[] digest) {
    ApiKey k = keysByDigest.get(HexFormat.of().formatHex(digest));
    if (k == null || !k.matches(digest) || k.revoked()) {
      return Optional.empty();
    }
    if (k.partnerId() != null) {
      Partner p = partners.get(k.partnerId());
      if (p == null || !p.enabled()) {
        return Optional.empty();
      }
    }
    return Optional.of(k);
  }

  public Optional<Partner> partner(String id) {
    return Optional.ofNullable(partners.get(id));
  }

  public List<Partner> partners() {
    return partners.values().stream().sorted(Comparator.comparing(Partner::createdAt).thenComparing(Partner::id))
        .toList();
  }

  public Optional<ApiKey> key(String id) {
    return Optional.ofNullable(keysById.get(id));
  }

  /** Keys of {@code partnerId} ({@code null}: publisher keys), revoked ones included, oldest first. */
  public List<ApiKey> keys(String partnerId) {
    return keysById.values().stream()
        .filter(k -> partnerId == null ? k.kind() == KeyKind.PUBLISHER : partnerId.equals(k.partnerId()))
        .sorted(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id)).toList();
  }
}
