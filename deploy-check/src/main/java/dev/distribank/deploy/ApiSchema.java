package dev.distribank.deploy;

import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates objects against the Kubernetes API model, offline: the official Java client's classes are generated from
 * the API server's OpenAPI spec, and their {@code validateJsonElement} refuses a field the API does not define and a
 * required field that is missing, at every depth; {@link JsonTypes} then refuses a value of the wrong JSON type,
 * naming its path, where the models' Gson reading would coerce it or fail without saying where. An
 * apiVersion/kind with no model here is refused too (a CRD such as a ServiceMonitor needs its own schema).
 */
public final class ApiSchema {
  private static final Map<String, Class<?>> MODELS = Map.of(
      "v1/Service", V1Service.class,
      "apps/v1/StatefulSet", V1StatefulSet.class,
      "v1/Secret", V1Secret.class,
      "v1/ConfigMap", V1ConfigMap.class,
      "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
      "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class);

  static {
    new JSON(); // registers the models' type adapters, which fromJson uses
  }

  private ApiSchema() {}

  /** The typed object, or a problem naming the manifest and the field (added to {@code problems}). */
  public static Object typed(Manifest m, List<String> problems) {
    Class<?> model = MODELS.get(m.type());
    if (model == null) {
      problems.add(m.where() + ": no Kubernetes API model for " + m.type() + " (known: " + MODELS.keySet() + ")");
      return null;
    }
    try {
      model.getMethod("validateJsonElement", JsonElement.class).invoke(null, m.json());
      List<String> typeProblems = new ArrayList<>();
      JsonTypes.check(model, m.json(), "", typeProblems);
      if (!typeProblems.isEmpty()) {
        typeProblems.forEach(p -> problems.add(m.where() + ": " + p));
        return null;
      }
      return model.getMethod("fromJson", String.class).invoke(null, m.json().toString());
    } catch (InvocationTargetException e) {
      problems.add(m.where() + ": " + withoutJson(e.getCause()));
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the model " + model.getName() + " lacks validateJsonElement/fromJson", e);
    }
  }

  // The model's messages end with the whole JSON object they refused: the field and the model type say enough.
  static String withoutJson(Throwable t) {
    String message = String.valueOf(t.getMessage());
    for (String tail : List.of(". JSON: ", " in the JSON string: ", " but got `")) {
      int at = message.indexOf(tail);
      if (at >= 0) {
        message = message.substring(0, at) + (tail.startsWith(" in") ? " in the JSON string" : "");
      }
    }
    String type = t instanceof IllegalArgumentException ? "" : t.getClass().getSimpleName() + ": ";
    return type + (message.length() > 300 ? message.substring(0, 300) + "..." : message);
  }
}
