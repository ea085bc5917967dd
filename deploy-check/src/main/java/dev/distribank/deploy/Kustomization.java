package dev.distribank.deploy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the one feature deploy/k8s uses: a list of
 * resource files, concatenated. Anything else in kustomization.yaml is refused by name rather than ignored, so the
 * check never validates something other than what {@code kubectl apply -k} would send.
 */
public final class Kustomization {
  private static final Set<String> RENDERED_FIELDS = Set.of("apiVersion", "kind", "resources");

  private Kustomization() {}

  /** The objects of {@code dir}/kustomization.yaml, in order; a problem in the kustomization itself throws. */
  public static List<Manifest> render(Path dir) throws IOException {
    Object root = yaml().load(Files.readString(dir.resolve("kustomization.yaml")));
    if (!(root instanceof Map<?, ?> kustomization)) {
      throw new IllegalArgumentException("kustomization.yaml: not a mapping");
    }
    for (Object key : kustomization.keySet()) {
      if (!RENDERED_FIELDS.contains(String.valueOf(key))) {
        throw new IllegalArgumentException("kustomization.yaml: field `" + key + "` is not rendered by this check"
            + " (it renders `resources:` only); extend Kustomization, or the check validates the wrong thing");
      }
    }
    if (!"Kustomization".equals(kustomization.get("kind"))
        || !"kustomize.config.k8s.io/v1beta1".equals(kustomization.get("apiVersion"))) {
      throw new IllegalArgumentException("kustomization.yaml: expected apiVersion kustomize.config.k8s.io/v1beta1,"
          + " kind Kustomization");
    }
    if (!(kustomization.get("resources") instanceof List<?> resources) || resources.isEmpty()) {
      throw new IllegalArgumentException("kustomization.yaml: `resources` must list the manifest files");
    }
    List<Manifest> out = new ArrayList<>();
    for (Object resource : resources) {
      Path file = dir.resolve(String.valueOf(resource)).normalize();
      if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
        throw new IllegalArgumentException("kustomization.yaml: resource `" + resource + "` is not a file in " + dir);
      }
      out.addAll(parse(dir.relativize(file).toString(), Files.readString(file)));
    }
    return out;
  }

  /** The YAML documents of one file as objects; an empty document is skipped, a non-object one throws. */
  public static List<Manifest> parse(String fileName, String text) {
    List<Manifest> out = new ArrayList<>();
    Gson gson = new Gson();
    for (Object doc : yaml().loadAll(text)) {
      if (doc == null) {
        continue;
      }
      JsonElement json = gson.toJsonTree(doc);
      if (!json.isJsonObject()) {
        throw new IllegalArgumentException(fileName + ": a document that is not an object");
      }
      out.add(new Manifest(fileName, json.getAsJsonObject()));
    }
    return out;
  }

  // YAML 1.1, as the API server's sigs.k8s.io/yaml reads it (0440 is octal); no custom tags, no duplicate keys.
  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options));
  }
}
