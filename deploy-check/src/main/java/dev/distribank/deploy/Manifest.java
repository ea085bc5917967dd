package dev.distribank.deploy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** One Kubernetes object as written in a file of deploy/k8s, converted from YAML to the JSON the API speaks. */
public record Manifest(String file, JsonObject json) {

  /** {@code apiVersion/kind}, e.g. {@code apps/v1/StatefulSet}; the key of the API model that types it. */
  public String type() {
    return text(json.get("apiVersion")) + "/" + text(json.get("kind"));
  }

  /** Where a problem is, for messages: {@code statefulset.yaml: StatefulSet bank}. */
  public String where() {
    JsonElement metadata = json.get("metadata");
    String name = metadata != null && metadata.isJsonObject() ? text(metadata.getAsJsonObject().get("name")) : "?";
    return file + ": " + text(json.get("kind")) + " " + name;
  }

  private static String text(JsonElement e) {
    return e != null && e.isJsonPrimitive() ? e.getAsString() : "?";
  }
}
