package org.bulletin.feed.portal;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * Renders the portal's jte templates (src/main/jte), compiled to Java at build time; jte escapes
 * every value by its HTML context (text, attribute, URL). Thread-safe.
 */
final class PortalPages {
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html,
      PortalPages.class.getClassLoader(), "org.bulletin.feed.portal.templates");

  String render(String template, Object param) {
    StringOutput out = new StringOutput();
    engine.render(template, param, out);
    return out.toString();
  }

  String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    engine.render(template, params, out);
    return out.toString();
  }

  String message(String title, String heading, String text, PortalPartner partner, String csrf) {
    Map<String, Object> params = new java.util.HashMap<>();
    params.put("title", title);
    params.put("heading", heading);
    params.put("text", text);
    params.put("partner", partner);
    params.put("csrf", csrf);
    return render("message.jte", params);
  }
}
