package org.bulletin.feed.serve;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/**
 * A rendered document, ready to serve: its bytes and their gzip, a strong ETag per encoding
 * derived from the bytes (equal bytes, equal ETags, on every instance) and Last-Modified.
 *
 * @param settled an archive page that only a correction, backfill or retraction can still change
 * @param link the HTTP {@code Link} header value served with it (WebSub discovery), built once
 *     per document; {@code null} for none
 */
public record CachedDocument(
    int status,
    String contentType,
    Buffer body,
    Buffer gzip,
    String etag,
    String gzipEtag,
    Instant lastModified,
    String lastModifiedHttp,
    boolean settled,
    String link) {

  /** IMF-fixdate (RFC 9110): two-digit day, which RFC_1123_DATE_TIME does not print. */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

  public static CachedDocument of(int status, String contentType, byte[] body, Instant lastModified) {
    return of(status, contentType, body, lastModified, Instant.now());
  }

  /**
   * @param lastModified the time of the newest change shown; an event may be stamped ahead of this
   *     host's clock, and Last-Modified is never later than {@code now} (RFC 9110 8.8.2.1)
   */
  public static CachedDocument of(int status, String contentType, byte[] body, Instant lastModified, Instant now) {
    String hash = sha256(body);
    Instant seconds = (lastModified.isAfter(now) ? now : lastModified).truncatedTo(ChronoUnit.SECONDS);
    // Buffers built once per render: wrapping the bytes for every response copied up to ~100 KB a
    // request. Only the buffers are kept, so a cached document is held once.
    return new CachedDocument(status, contentType, Buffer.buffer(body), Buffer.buffer(gzip(body)),
        "\"" + hash + "\"", "\"" + hash + "-gz\"", seconds, HTTP_DATE.format(seconds.atOffset(ZoneOffset.UTC)),
        false, null);
  }

  /** This document as a settled archive page (see {@code ArchiveSlice#settled}): cached longer. */
  public CachedDocument asSettled() {
    return new CachedDocument(status, contentType, body, gzip, etag, gzipEtag, lastModified, lastModifiedHttp, true,
        link);
  }

  /** The same document served with this {@code Link} header (shares the buffers). */
  public CachedDocument withLink(String link) {
    return new CachedDocument(status, contentType, body, gzip, etag, gzipEtag, lastModified, lastModifiedHttp,
        settled, link);
  }

  private static String sha256(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 3 + 64);
    // The default level: level 9 costs several times the CPU on every re-render for ~2 % fewer bytes.
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
