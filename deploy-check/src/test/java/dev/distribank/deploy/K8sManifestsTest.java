package dev.distribank.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/k8s passes the strict check, and the check can fail: each seeded mistake in a copy is refused with a
 * message naming the field. (A seed that no longer matches the manifests fails the test too, so none goes stale.)
 */
class K8sManifestsTest {

  @Test
  void check_theRepositorysManifests_findsNoProblem() throws IOException {
    ManifestCheck.Result r = ManifestCheck.check(RepoFiles.path("deploy/k8s"), RepoFiles.imageUid());

    assertEquals(List.of(), r.problems());
    assertEquals(List.of("v1/Service", "apps/v1/StatefulSet"), r.manifests().stream().map(Manifest::type).toList());
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        // file, regex to replace (must match), replacement, a fragment the problem must contain
        seed("unknown field", "statefulset.yaml", "(?m)^  replicas: 4$", "  replica: 4",
            "field `replica` in the JSON string is not defined in the `V1StatefulSetSpec`"),
        seed("unknown field deep in a probe", "statefulset.yaml", "(?m)^(            )grpc:$", "$1grpcc:",
            "field `grpcc` in the JSON string is not defined in the `V1Probe`"),
        seed("unknown field in the Service", "service.yaml", "(?m)^  clusterIP: None$", "  clusterIp: None",
            "field `clusterIp` in the JSON string is not defined in the `V1ServiceSpec`"),
        seed("missing container name", "statefulset.yaml", "(?m)^        - name: bank-node\\n", "        -\n",
            "required field `name` is not found in the JSON string"),
        seed("missing object name", "service.yaml", "(?m)^  name: bank\\n", "",
            "service.yaml: Service ?: metadata.name is missing"),
        seed("a string for an integer", "statefulset.yaml", "(?m)^  replicas: 4$", "  replicas: \"four\"",
            "spec.replicas must be an integer, not the string \"four\""),
        seed("a number for a string", "statefulset.yaml", "(?m)^              value: /data$", "              value: 1",
            "spec.template.spec.containers[0].env[2].value must be a string, not 1"),
        seed("a string for a boolean", "statefulset.yaml", "(?m)^              readOnly: true$",
            "              readOnly: \"yes\"", "volumeMounts[2].readOnly must be true or false, not the string \"yes\""),
        seed("no model for a kind", "service.yaml", "(?m)^kind: Service$", "kind: ServiceMonitor",
            "no Kubernetes API model for v1/ServiceMonitor"),
        seed("replicas unlike the peers", "statefulset.yaml", "(?m)^  replicas: 4$", "  replicas: 5",
            "spec.replicas is 5 but BANK_PEERS lists 4 banks"),
        seed("a peer at a wrong name", "statefulset.yaml", "bank-3=bank-3.bank:7101", "bank-3=bank-3:7101",
            "BANK_PEERS entry 3 is `bank-3=bank-3:7101`, not `bank-3=bank-3.bank:7101`"),
        seed("a probe on the client port", "statefulset.yaml", "(?s)(startupProbe:\\s+grpc:\\s+port: )7201", "$17001",
            "startupProbe.grpc.port is 7001: it must be a gRPC probe on the health port 7201"),
        seed("root user", "statefulset.yaml", "(?m)^        runAsUser: 10001$", "        runAsUser: 0",
            "runAsUser is 0, not 10001"),
        seed("read-only root without /tmp", "statefulset.yaml", "(?m)^              mountPath: /tmp$",
            "              mountPath: /var/tmp", "needs a writable emptyDir at /tmp"),
        seed("scrape annotation on the wrong port", "statefulset.yaml", "prometheus.io/port: \"9400\"",
            "prometheus.io/port: \"7001\"", "prometheus.io/port is 7001, not the metrics port 9400"),
        seed("metrics listener off the declared port", "statefulset.yaml", "value: \"0.0.0.0:9400\"",
            "value: \"0.0.0.0:9401\"", "BANK_METRICS_LISTEN is 0.0.0.0:9401, not HOST:9400"),
        seed("a Service that is not headless", "service.yaml", "(?m)^  clusterIP: None$", "  clusterIP: 10.0.0.1",
            "spec.clusterIP must be None"),
        seed("a resource file that is not there", "kustomization.yaml", "service.yaml", "services.yaml",
            "resource `services.yaml` is not a file"),
        seed("a kustomization feature not rendered", "kustomization.yaml", "(?m)^resources:",
            "namePrefix: x-\nresources:", "field `namePrefix` is not rendered by this check"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void check_aSeededMistake_isRefusedNamingTheField(String what, String file, String regex, String replacement,
      String expected, @TempDir Path dir) throws IOException {
    Path copy = RepoFiles.copyOfK8s(dir);
    String before = Files.readString(copy.resolve(file));
    String after = Pattern.compile(regex).matcher(before).replaceFirst(replacement);
    assertFalse(before.equals(after), () -> "the seed «" + regex + "» no longer matches " + file + ": update it");
    Files.writeString(copy.resolve(file), after);

    List<String> problems = ManifestCheck.check(copy, RepoFiles.imageUid()).problems();

    assertTrue(problems.stream().anyMatch(p -> p.contains(expected)),
        () -> what + ": expected a problem containing «" + expected + "», got " + problems);
  }

  private static Arguments seed(String what, String file, String regex, String replacement, String expected) {
    return Arguments.of(what, file, regex, replacement, expected);
  }
}
