package org.bulletin.producer.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Derives a report id from what identifies a report to a reader, its publication date and title,
 * so the same article submitted twice gets the same id: {@code 2022-04-27-huiji-district-held-…}.
 */
public final class ReportIds {
  private static final int MAX_SLUG = 80;

  private ReportIds() {}

  public static String derive(LocalDate publishedDate, String title) {
    String slug = slug(title);
    if (slug.isEmpty()) {
      slug = hash(title);
    }
    return publishedDate + "-" + slug;
  }

  static String slug(String title) {
    String ascii = Normalizer.normalize(title, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
    String slug = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > MAX_SLUG) {
      int cut = slug.lastIndexOf('-', MAX_SLUG);
      slug = slug.substring(0, cut > 20 ? cut : MAX_SLUG).replaceAll("-+$", "");
    }
    return slug;
  }

  private static String hash(String title) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(title.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
