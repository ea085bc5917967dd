package dev.distribank.deploy;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ContainerPort;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the API model cannot know: that a StatefulSet of banks is a consortium that works. Every bank is listed as a
 * peer at its pod's stable DNS name (replicas = peers), the probes ask the health port, the scrape annotations point
 * at the metrics port, the pod runs as the image's unprivileged user on a read-only root with a writable /tmp (the
 * JVM's java.io.tmpdir), and the ports the node is told to listen on are the
 * ports the pod declares. Each problem names the field at fault.
 */
final class ConsortiumRules {
  private static final String C = "spec.template.spec.containers[bank-node]";
  private final String where;
  private final List<String> problems;

  private ConsortiumRules(String where, List<String> problems) {
    this.where = where;
    this.problems = problems;
  }

  /** Checks every StatefulSet among {@code objects}; {@code imageUid} is the uid deploy/Dockerfile gives its user. */
  static void check(List<Object> objects, long imageUid, List<String> problems) {
    for (Object o : objects) {
      if (o instanceof V1StatefulSet s) {
        new ConsortiumRules("StatefulSet " + s.getMetadata().getName(), problems).bankSet(s, objects, imageUid);
      }
    }
  }

  private void bankSet(V1StatefulSet s, List<Object> objects, long imageUid) {
    var spec = s.getSpec();
    V1PodSpec pod = spec.getTemplate().getSpec();
    V1Container c = pod.getContainers().stream().filter(x -> "bank-node".equals(x.getName())).findFirst().orElse(null);
    if (c == null) {
      fail("spec.template.spec.containers has no container named bank-node");
      return;
    }
    Map<String, String> labels = orEmpty(spec.getTemplate().getMetadata().getLabels());
    require(labels.entrySet().containsAll(spec.getSelector().getMatchLabels().entrySet()),
        "spec.selector.matchLabels must select the pod template's labels");
    Map<String, V1EnvVar> env = new LinkedHashMap<>();
    for (V1EnvVar e : orEmpty(c.getEnv())) {
      env.put(e.getName(), e);
    }
    int peerPort = port(c, "peer");
    service(s, objects, labels);
    peers(s, env, objects, pod, c, peerPort);
    require(env.containsKey("BANK_ID") && env.get("BANK_ID").getValueFrom() != null
            && env.get("BANK_ID").getValueFrom().getFieldRef() != null
            && "metadata.name".equals(env.get("BANK_ID").getValueFrom().getFieldRef().getFieldPath()),
        C + ".env BANK_ID must come from the pod's name (fieldRef metadata.name): the peers list names pods");
    listens(env, "BANK_LISTEN", port(c, "grpc"), "grpc");
    int health = port(c, "health");
    listens(env, "BANK_HEALTH_LISTEN", health, "health");
    probe(c.getStartupProbe(), "startupProbe", health);
    probe(c.getReadinessProbe(), "readinessProbe", health);
    probe(c.getLivenessProbe(), "livenessProbe", health);
    int metrics = port(c, "metrics");
    listens(env, "BANK_METRICS_LISTEN", metrics, "metrics");
    scrapeAnnotations(orEmpty(spec.getTemplate().getMetadata().getAnnotations()), metrics);
    security(pod, c, imageUid);
    volumes(s, pod, c, env);
  }

  private void service(V1StatefulSet s, List<Object> objects, Map<String, String> labels) {
    String name = s.getSpec().getServiceName();
    V1Service svc = objects.stream().filter(o -> o instanceof V1Service v && Objects.equals(v.getMetadata().getName(), name))
        .map(V1Service.class::cast).findFirst().orElse(null);
    if (svc == null) {
      fail("spec.serviceName " + name + " names no Service of the set: the pods would get no DNS names");
      return;
    }
    require("None".equals(svc.getSpec().getClusterIP()),
        "Service " + name + " spec.clusterIP must be None (headless): each bank needs its own DNS name");
    require(labels.entrySet().containsAll(orEmpty(svc.getSpec().getSelector()).entrySet()),
        "Service " + name + " spec.selector must select the pod template's labels");
    require(Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses()),
        "Service " + name + " spec.publishNotReadyAddresses must be true: recovering banks must reach each other");
  }

  private void peers(V1StatefulSet s, Map<String, V1EnvVar> env, List<Object> objects, V1PodSpec pod, V1Container c,
      int peerPort) {
    List<String> peers = new ArrayList<>();
    String source;
    if (env.containsKey("BANK_PEERS") == env.containsKey("BANK_CLUSTER_FILE")) {
      fail(C + ".env must set exactly one of BANK_PEERS and BANK_CLUSTER_FILE");
      return;
    } else if (env.containsKey("BANK_PEERS")) {
      source = "BANK_PEERS";
      for (String p : String.valueOf(env.get("BANK_PEERS").getValue()).split(",")) {
        peers.add(p.trim());
      }
    } else {
      source = "BANK_CLUSTER_FILE";
      String text = clusterFile(String.valueOf(env.get(source).getValue()), objects, pod, c);
      if (text == null) {
        return;
      }
      text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(peers::add);
    }
    int replicas = Objects.requireNonNullElse(s.getSpec().getReplicas(), 1);
    require(peers.size() == replicas, "spec.replicas is " + replicas + " but " + source + " lists " + peers.size()
        + " banks: every pod is a bank, and every bank must be listed");
    String set = s.getMetadata().getName();
    for (int i = 0; i < peers.size(); i++) {
      String pod_ = set + "-" + i;
      String expected = pod_ + "=" + pod_ + "." + s.getSpec().getServiceName() + ":" + peerPort;
      require(peers.get(i).equals(expected),
          source + " entry " + i + " is `" + peers.get(i) + "`, not `" + expected + "` (pod, stable DNS name, peer port)");
    }
  }

  // The cluster file given to the node must be mounted from a ConfigMap of the set, whose key holds the list.
  private String clusterFile(String path, List<Object> objects, V1PodSpec pod, V1Container c) {
    for (V1VolumeMount m : orEmpty(c.getVolumeMounts())) {
      String dir = m.getMountPath().endsWith("/") ? m.getMountPath() : m.getMountPath() + "/";
      V1Volume v = volume(pod, m.getName());
      if (path.startsWith(dir) && v != null && v.getConfigMap() != null) {
        String key = path.substring(dir.length());
        for (Object o : objects) {
          if (o instanceof V1ConfigMap cm && Objects.equals(cm.getMetadata().getName(), v.getConfigMap().getName())
              && cm.getData() != null && cm.getData().containsKey(key)) {
            return cm.getData().get(key);
          }
        }
      }
    }
    fail(C + ".env BANK_CLUSTER_FILE " + path + " is not a key of a ConfigMap of the set mounted there");
    return null;
  }

  private void listens(Map<String, V1EnvVar> env, String name, int port, String portName) {
    V1EnvVar e = env.get(name);
    String value = e == null ? null : e.getValue();
    require(value != null && value.endsWith(":" + port),
        C + ".env " + name + " is " + value + ", not HOST:" + port + " (the containerPort named " + portName + ")");
  }

  private void probe(V1Probe p, String name, int healthPort) {
    boolean ok = p != null && p.getGrpc() != null && Objects.equals(p.getGrpc().getPort(), healthPort);
    require(ok, C + "." + name + (p == null ? " is missing" : ".grpc.port is "
        + (p.getGrpc() == null ? "not set" : p.getGrpc().getPort())) + ": it must be a gRPC probe on the health port "
        + healthPort + " (plaintext; the kubelet cannot speak TLS)");
  }

  private void scrapeAnnotations(Map<String, String> a, int metricsPort) {
    String at = "spec.template.metadata.annotations ";
    require("true".equals(a.get("prometheus.io/scrape")), at + "prometheus.io/scrape must be \"true\"");
    require(String.valueOf(metricsPort).equals(a.get("prometheus.io/port")),
        at + "prometheus.io/port is " + a.get("prometheus.io/port") + ", not the metrics port " + metricsPort);
    require("/metrics".equals(a.get("prometheus.io/path")),
        at + "prometheus.io/path is " + a.get("prometheus.io/path") + ", not /metrics");
  }

  private void security(V1PodSpec pod, V1Container c, long imageUid) {
    var podSc = pod.getSecurityContext();
    V1SecurityContext sc = c.getSecurityContext();
    Long uid = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser()
        : podSc == null ? null : podSc.getRunAsUser();
    Boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot()
        : podSc == null ? null : podSc.getRunAsNonRoot();
    require(Boolean.TRUE.equals(nonRoot), "spec.template.spec.securityContext.runAsNonRoot must be true");
    require(Objects.equals(uid, imageUid), "spec.template.spec.securityContext.runAsUser is " + uid
        + ", not " + imageUid + ", the image's bank user (deploy/Dockerfile), who owns /data");
    require(sc != null && Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation()),
        C + ".securityContext.allowPrivilegeEscalation must be false");
    require(sc != null && Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()),
        C + ".securityContext.readOnlyRootFilesystem must be true");
    V1VolumeMount tmp = mount(c, "/tmp");
    V1Volume tmpVolume = tmp == null ? null : volume(pod, tmp.getName());
    require(tmp != null && !Boolean.TRUE.equals(tmp.getReadOnly()) && tmpVolume != null
            && tmpVolume.getEmptyDir() != null,
        C + ".volumeMounts needs a writable emptyDir at /tmp: the root is read-only, and the JVM writes its"
            + " scratch files (java.io.tmpdir) there");
  }

  private void volumes(V1StatefulSet s, V1PodSpec pod, V1Container c, Map<String, V1EnvVar> env) {
    V1EnvVar dataDir = env.get("BANK_DATA_DIR");
    V1VolumeMount data = dataDir == null ? null : mount(c, dataDir.getValue());
    List<String> claims = orEmpty(s.getSpec().getVolumeClaimTemplates()).stream()
        .map(V1PersistentVolumeClaim::getMetadata).map(m -> m.getName()).toList();
    require(data != null && claims.contains(data.getName()) && !Boolean.TRUE.equals(data.getReadOnly()),
        C + ".env BANK_DATA_DIR must be the writable mount of a volumeClaimTemplate: a bank's ledger outlives its pod");
    V1EnvVar pkiDir = env.get("BANK_PKI_DIR");
    V1VolumeMount pki = pkiDir == null ? null : mount(c, pkiDir.getValue());
    V1Volume pkiVolume = pki == null ? null : volume(pod, pki.getName());
    require(pki != null && Boolean.TRUE.equals(pki.getReadOnly()) && pkiVolume != null
            && pkiVolume.getSecret() != null,
        C + ".env BANK_PKI_DIR must be a read-only mount of a Secret (the banks' keys)");
  }

  private int port(V1Container c, String name) {
    for (V1ContainerPort p : orEmpty(c.getPorts())) {
      if (name.equals(p.getName())) {
        return p.getContainerPort();
      }
    }
    fail(C + ".ports has no port named " + name);
    return -1;
  }

  private static V1VolumeMount mount(V1Container c, String path) {
    return orEmpty(c.getVolumeMounts()).stream().filter(m -> m.getMountPath().equals(path)).findFirst().orElse(null);
  }

  private static V1Volume volume(V1PodSpec pod, String name) {
    return orEmpty(pod.getVolumes()).stream().filter(v -> v.getName().equals(name)).findFirst().orElse(null);
  }

  private void require(boolean ok, String problem) {
    if (!ok) {
      fail(problem);
    }
  }

  private void fail(String problem) {
    problems.add(where + ": " + problem);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
