package dev.glust.bootstrap;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** OTLP/JSON request bodies for the system tests that build their own records. */
final class OtlpJsonBodies {
  private OtlpJsonBodies() {}

  /**
   * {@code {outer: [{resource: {service.name}, inner: [{items: records}]}]}}, e.g.
   * ("resourceSpans", "scopeSpans", "spans", …).
   */
  static JsonObject envelope(
      String outer, String inner, String items, JsonArray records, String serviceName) {
    JsonObject resource = new JsonObject();
    resource.add("attributes", attributes("service.name", serviceName));
    JsonObject scope = new JsonObject();
    scope.add(items, records);
    JsonArray scopes = new JsonArray();
    scopes.add(scope);
    JsonObject wrapped = new JsonObject();
    wrapped.add("resource", resource);
    wrapped.add(inner, scopes);
    JsonArray all = new JsonArray();
    all.add(wrapped);
    JsonObject body = new JsonObject();
    body.add(outer, all);
    return body;
  }

  /** One string attribute, as OTLP/JSON's list of key-values. */
  static JsonArray attributes(String key, String value) {
    JsonObject stringValue = new JsonObject();
    stringValue.addProperty("stringValue", value);
    JsonObject attribute = new JsonObject();
    attribute.addProperty("key", key);
    attribute.add("value", stringValue);
    JsonArray attributes = new JsonArray();
    attributes.add(attribute);
    return attributes;
  }
}
