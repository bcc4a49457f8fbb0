package org.bulletin.platform.auth;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Who acts and from where: the principal and the remote address of its request, as audit records
 * keep them. The partner portal makes one from its session.
 */
public record Actor(Principal principal, String from) {
  public static Actor of(RoutingContext ctx) {
    SocketAddress remote = ctx.request().remoteAddress();
    return new Actor(Principal.of(ctx), remote == null ? "unknown" : remote.hostAddress());
  }
}
