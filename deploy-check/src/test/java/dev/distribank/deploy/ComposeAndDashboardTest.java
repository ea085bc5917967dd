package dev.distribank.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose file, the Prometheus config and the Grafana dashboard agree with each other and with the metrics the
 * node exports: every bank lists the same peers, is scraped on its metrics port, runs on a read-only root, and every
 * dashboard query names a real series. (deploy/container-test.sh runs them for real; this catches a typo in make test.)
 */
class ComposeAndDashboardTest {
  /** The series the node exports (issue 11's metrics contract), as Prometheus names them. */
  private static final Set<String> EXPORTED = Set.of("up", "grpc_server_call_started_total",
      "grpc_server_call_duration_seconds", "distribank_transactions_total", "distribank_in_doubt_votes",
      "distribank_in_doubt_oldest_age_seconds", "distribank_in_doubt_settled_by_peer_total",
      "distribank_delivery_queue_depth",
      "distribank_delivery_head_wait_seconds", "distribank_group_commit_size", "distribank_fsync_duration_seconds",
      "distribank_peer_link_up", "distribank_peer_messages_total", "distribank_lamport_clock", "distribank_consents",
      "distribank_login_failures_total", "distribank_requests_refused_total");

  private static Map<String, Map<String, Object>> services;
  private static Map<String, Map<String, Object>> banks;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void readCompose() throws IOException {
    Map<String, Object> compose = new Yaml().load(RepoFiles.read("deploy/docker-compose.yml"));
    services = (Map<String, Map<String, Object>>) compose.get("services");
    banks = new LinkedHashMap<>();
    services.forEach((name, svc) -> {
      if (env(svc).containsKey("BANK_ID")) {
        banks.put(name, svc);
      }
    });
  }

  @Test
  void compose_everyBankListsEveryBankServiceAsItsPeers() {
    assertEquals(List.of("alpha", "beta", "gamma", "delta"), List.copyOf(banks.keySet()));
    List<String> expected = new ArrayList<>();
    banks.keySet().forEach(b -> expected.add(b + "=" + b + ":7101"));
    banks.forEach((name, svc) -> {
      assertEquals(name, env(svc).get("BANK_ID"), name + "'s BANK_ID");
      assertEquals(String.join(",", expected), env(svc).get("BANK_PEERS"), name + "'s BANK_PEERS");
    });
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheus_scrapesEveryBankOnTheMetricsPortComposeGivesIt() throws IOException {
    Map<String, Object> config = new Yaml().load(RepoFiles.read("deploy/prometheus/prometheus.yml"));
    Set<String> scraped = new TreeSet<>();
    for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
      for (Map<String, Object> sc : (List<Map<String, Object>>) job.get("static_configs")) {
        List<String> targets = (List<String>) sc.get("targets");
        Map<String, String> labels = (Map<String, String>) sc.get("labels");
        targets.forEach(t -> assertEquals(t.substring(0, t.indexOf(':')), labels.get("bank"), "bank label of " + t));
        scraped.addAll(targets);
      }
    }
    Set<String> expected = new TreeSet<>();
    banks.forEach((name, svc) -> {
      String listen = String.valueOf(env(svc).get("BANK_METRICS_LISTEN"));
      expected.add(name + listen.substring(listen.lastIndexOf(':')));
    });
    assertEquals(expected, scraped);
    assertTrue(String.valueOf(services.get("prometheus").get("volumes")).contains("./prometheus/prometheus.yml:"));
  }

  @Test
  void compose_banksRunOnAReadOnlyRootWithATmpfsAndNoCapabilities() {
    banks.forEach((name, svc) -> {
      assertEquals(true, svc.get("read_only"), name + " read_only");
      assertTrue(String.valueOf(svc.get("tmpfs")).contains("/tmp"), name + " tmpfs /tmp");
      assertEquals(List.of("ALL"), svc.get("cap_drop"), name + " cap_drop");
    });
  }

  @Test
  void compose_mountsOnlyFilesThatExist() {
    services.forEach((name, svc) -> {
      for (Object v : (List<?>) svc.getOrDefault("volumes", List.of())) {
        String source = String.valueOf(v).split(":")[0];
        if (source.startsWith("./")) {
          assertTrue(Files.exists(RepoFiles.path("deploy").resolve(source)), name + " mounts missing " + source);
        }
      }
    });
  }

  @Test
  void dashboard_queriesOnlyExportedSeries_andShowsEveryOneOfTheBanks() throws IOException {
    JsonObject dashboard = JsonParser.parseString(
        RepoFiles.read("deploy/grafana/dashboards/distribank.json")).getAsJsonObject();
    Set<String> used = new TreeSet<>();
    Set<Integer> ids = new HashSet<>();
    // A series name is followed by its selector; label names (grpc_method in `by (...)`) are not.
    Pattern series = Pattern.compile("\\b(up|(?:distribank|grpc)_[a-z_]+?)(?:_bucket|_sum|_count)?(?=[{\\[])");
    for (JsonElement p : dashboard.getAsJsonArray("panels")) {
      JsonObject panel = p.getAsJsonObject();
      assertTrue(ids.add(panel.get("id").getAsInt()), "panel ids are unique");
      if (!panel.has("targets")) {
        continue;
      }
      assertEquals(datasourceUid(), panel.getAsJsonObject("datasource").get("uid").getAsString(), "panel datasource");
      for (JsonElement t : panel.getAsJsonArray("targets")) {
        String expr = t.getAsJsonObject().get("expr").getAsString();
        Matcher m = series.matcher(expr);
        while (m.find()) {
          assertTrue(EXPORTED.contains(m.group(1)), () -> "«" + panel.get("title") + "» queries " + m.group(1)
              + ", which the node does not export");
          used.add(m.group(1));
        }
      }
    }
    Set<String> unused = new TreeSet<>(EXPORTED);
    unused.removeAll(used);
    assertEquals(Set.of("grpc_server_call_started_total"), unused, "series no panel shows");
  }

  private static String datasourceUid() throws IOException {
    Map<String, Object> ds = new Yaml().load(RepoFiles.read("deploy/grafana/provisioning/datasources/prometheus.yml"));
    return String.valueOf(((Map<?, ?>) ((List<?>) ds.get("datasources")).get(0)).get("uid"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> env(Map<String, Object> svc) {
    return (Map<String, Object>) svc.getOrDefault("environment", Map.of());
  }
}
