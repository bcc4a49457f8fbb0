package org.bulletin.feed.serve;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;

/**
 * One more HTTP server for the feed service's router, on an event loop of its own. Vert.x spreads
 * connections to the same port across such servers, so serving uses every core.
 */
public final class HttpServerVerticle extends VerticleBase {
  private final Router router;
  private final String host;
  private final int port;

  public HttpServerVerticle(Router router, String host, int port) {
    this.router = router;
    this.host = host;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer().requestHandler(router).listen(port, host);
  }
}
