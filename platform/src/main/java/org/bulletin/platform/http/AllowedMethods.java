package org.bulletin.platform.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The methods a router's routes accept at a path, for the {@code Allow} header a 405 must carry
 * (RFC 9110, section 15.5.6); Vert.x's router does not say which ones it found.
 */
final class AllowedMethods {
  private static final Pattern PARAM = Pattern.compile(":[A-Za-z0-9_]+");

  private AllowedMethods() {}

  /** Comma-separated, sorted; empty when no route names a method for {@code path}. */
  static String at(Router router, String path) {
    Set<String> allowed = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      Set<HttpMethod> methods = route.methods();
      String template = template(route);
      if (methods == null || methods.isEmpty() || template == null
          || !matches(template, !route.isExactPath(), path)) {
        continue;
      }
      methods.forEach(m -> allowed.add(m.name()));
    }
    if (allowed.contains("GET")) {
      allowed.add("HEAD"); // Vert.x answers HEAD on GET routes
    }
    return String.join(", ", allowed);
  }

  private static String template(Route route) {
    String name = route.getName();
    if (name != null && name.startsWith("/")) {
      return name;
    }
    return route.isRegexPath() ? null : route.getPath();
  }

  private static boolean matches(String template, boolean prefixRoute, String path) {
    StringBuilder regex = new StringBuilder();
    boolean prefix = prefixRoute || template.endsWith("*");
    String body = template.endsWith("*") ? template.substring(0, template.length() - 1) : template;
    Matcher m = PARAM.matcher(body);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(body.substring(last, m.start()))).append("[^/]+");
      last = m.end();
    }
    regex.append(Pattern.quote(body.substring(last)));
    if (prefix) {
      regex.append(".*");
    } else {
      regex.append("/?");
    }
    return path.matches(regex.toString());
  }
}
