package org.bulletin.feed.delivery;

/**
 * Where the engine delivers, as a channel's directory describes it at the moment of an attempt.
 *
 * @param id unique within its channel; tasks name it as their {@code endpointId}
 * @param url the URL every attempt POSTs to (checked by the URL guard on every attempt)
 * @param enabled false: its tasks are skipped and dead-lettered with {@code disabledReason}
 * @param disabledReason why it is disabled, or {@code null}
 * @param ordered one attempt at a time, retries in place (never via a tier), so order is kept
 * @param rateLimit most attempts per second; 0 for no limit
 * @param signer the headers that authenticate an attempt (its secrets stay inside the signer)
 */
public record Endpoint(String id, String url, boolean enabled, String disabledReason, boolean ordered,
    int rateLimit, Signer signer) {

  public Endpoint {
    if (signer == null) {
      signer = Signer.NONE;
    }
  }
}
