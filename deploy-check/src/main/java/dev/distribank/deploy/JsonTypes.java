package dev.distribank.deploy;

import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The JSON types the API server insists on, checked field by field against the model's Java types, with the path of
 * the field at fault. The models' own Gson reading is lenient where the API server is not: it takes the string "yes"
 * for a boolean (as false), the number 9400 for a string, and names no field when "four" is no integer.
 */
final class JsonTypes {
  private JsonTypes() {}

  /** Adds a problem for each value of {@code json} whose JSON type does not fit {@code type}; {@code path} is its name. */
  static void check(Type type, JsonElement json, String path, List<String> problems) {
    if (json == null || json.isJsonNull()) {
      return;
    }
    Class<?> raw = raw(type);
    if (raw == String.class) {
      expect(json.isJsonPrimitive() && json.getAsJsonPrimitive().isString(), "a string", json, path, problems);
    } else if (raw == Integer.class || raw == Long.class) {
      expect(isNumber(json) && new BigDecimal(json.getAsString()).stripTrailingZeros().scale() <= 0, "an integer",
          json, path, problems);
    } else if (raw == Double.class || raw == Float.class || raw == BigDecimal.class) {
      expect(isNumber(json), "a number", json, path, problems);
    } else if (raw == Boolean.class) {
      expect(json.isJsonPrimitive() && json.getAsJsonPrimitive().isBoolean(), "true or false", json, path, problems);
    } else if (raw == IntOrString.class || raw == Quantity.class) {
      expect(json.isJsonPrimitive() && !json.getAsJsonPrimitive().isBoolean(), "a number or a string", json, path,
          problems);
    } else if (raw == List.class) {
      if (expect(json.isJsonArray(), "a list", json, path, problems)) {
        var items = json.getAsJsonArray();
        for (int i = 0; i < items.size(); i++) {
          check(argument(type, 0), items.get(i), path + "[" + i + "]", problems);
        }
      }
    } else if (raw == Map.class) {
      if (expect(json.isJsonObject(), "a mapping", json, path, problems)) {
        json.getAsJsonObject().entrySet()
            .forEach(e -> check(argument(type, 1), e.getValue(), path + "[" + e.getKey() + "]", problems));
      }
    } else if (raw.getPackageName().equals("io.kubernetes.client.openapi.models")) {
      if (expect(json.isJsonObject(), "a mapping", json, path, problems)) {
        model(raw, json, path, problems);
      }
    } // anything else (byte[] of a Secret's data, dates, Object) is left to the model's reading
  }

  private static void model(Class<?> model, JsonElement json, String path, List<String> problems) {
    for (Field f : model.getDeclaredFields()) {
      SerializedName name = f.getAnnotation(SerializedName.class);
      if (name != null && !Modifier.isStatic(f.getModifiers())) {
        String at = path.isEmpty() ? name.value() : path + "." + name.value();
        check(f.getGenericType(), json.getAsJsonObject().get(name.value()), at, problems);
      }
    }
  }

  private static boolean expect(boolean ok, String what, JsonElement json, String path, List<String> problems) {
    if (!ok) {
      String was = json.isJsonPrimitive() && ((JsonPrimitive) json).isString() ? "the string " + json
          : json.isJsonArray() ? "a list" : json.isJsonObject() ? "a mapping" : json.toString();
      problems.add(path + " must be " + what + ", not " + was);
    }
    return ok;
  }

  private static boolean isNumber(JsonElement json) {
    return json.isJsonPrimitive() && json.getAsJsonPrimitive().isNumber();
  }

  private static Class<?> raw(Type type) {
    return type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
  }

  private static Type argument(Type type, int index) {
    return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
  }
}
