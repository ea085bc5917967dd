package dev.distribank.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole check of a kustomization directory: render it, type every object against the Kubernetes API model, then
 * apply the consortium's rules to what typed. No kubectl, no cluster, no network.
 */
public final class ManifestCheck {
  private ManifestCheck() {}

  /** What the check found: the rendered objects and every problem (empty when the manifests are good). */
  public record Result(List<Manifest> manifests, List<String> problems) {}

  /** Checks {@code k8sDir}; {@code imageUid} is the uid of the image's unprivileged user. */
  public static Result check(Path k8sDir, long imageUid) throws IOException {
    List<String> problems = new ArrayList<>();
    List<Manifest> manifests;
    try {
      manifests = Kustomization.render(k8sDir);
    } catch (IllegalArgumentException e) {
      return new Result(List.of(), List.of(e.getMessage()));
    }
    List<Object> typed = new ArrayList<>();
    for (Manifest m : manifests) {
      // The model makes metadata.name optional (generateName exists); `kubectl apply` refuses an object without one.
      if (m.where().endsWith(" ?")) {
        problems.add(m.where() + ": metadata.name is missing: kubectl apply refuses an object without a name");
      }
      Object o = ApiSchema.typed(m, problems);
      if (o != null) {
        typed.add(o);
      }
    }
    ConsortiumRules.check(typed, imageUid, problems);
    return new Result(manifests, List.copyOf(problems));
  }
}
