package dev.distribank.cli.top;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where each bank's {@code /metrics} is: read from {@code --metrics} ("alpha=127.0.0.1:9401,beta=...") or from a file
 * of {@code bank=ADDRESS} lines in the cluster file's format. An address is {@code HOST:PORT} (meaning
 * {@code http://HOST:PORT/metrics}) or a whole {@code http://} or {@code https://} URL; without a {@code bank=} the
 * bank is named by its address.
 */
final class Endpoints {
  /** The metrics addresses {@code make run} gives its four banks. */
  static final String MAKE_RUN = "alpha=127.0.0.1:9401,beta=127.0.0.1:9402,gamma=127.0.0.1:9403,delta=127.0.0.1:9404";
  /** More banks than a screen can show is a mistake, not a consortium. */
  static final int MAX_BANKS = 64;

  private static final Pattern BANK = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})");

  /** One bank and the URL of its metrics. */
  record Endpoint(String bank, URI url) {}

  private Endpoints() {}

  /**
   * The endpoints {@code specs} name, in order.
   *
   * @throws IllegalArgumentException saying which entry is wrong and how to write it
   */
  static List<Endpoint> parse(List<String> specs) {
    Map<String, Endpoint> byBank = new LinkedHashMap<>();
    for (String raw : specs) {
      String spec = raw.strip();
      if (spec.isEmpty()) {
        continue;
      }
      int eq = spec.indexOf('=');
      String address = eq < 0 ? spec : spec.substring(eq + 1).strip();
      URI url = url(address, spec);
      String bank = eq < 0 ? url.getAuthority() : spec.substring(0, eq).strip();
      if (eq >= 0 && !BANK.matcher(bank).matches()) {
        throw new IllegalArgumentException("'" + spec + "': the bank id before '=' must be lower-case letters, digits,"
            + " '-' or '_', e.g. alpha=127.0.0.1:9401");
      }
      if (byBank.put(bank, new Endpoint(bank, url)) != null) {
        throw new IllegalArgumentException("bank " + bank + " is named twice");
      }
      if (byBank.size() > MAX_BANKS) {
        throw new IllegalArgumentException("more than " + MAX_BANKS + " banks");
      }
    }
    if (byBank.isEmpty()) {
      throw new IllegalArgumentException("no bank named; write e.g. alpha=127.0.0.1:9401,beta=127.0.0.1:9402");
    }
    return List.copyOf(byBank.values());
  }

  /** The {@code bank=ADDRESS} lines of {@code file}, blank lines and {@code #} comments skipped. */
  static List<String> readFile(Path file) throws IOException {
    List<String> specs = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String spec = line.strip();
      if (!spec.isEmpty() && !spec.startsWith("#")) {
        if (!spec.contains("=")) {
          throw new IllegalArgumentException(file + ": '" + spec + "' is not a bank=ADDRESS line");
        }
        specs.add(spec);
      }
    }
    return specs;
  }

  private static URI url(String address, String spec) {
    if (HOST_PORT.matcher(address).matches()) {
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("'" + spec + "': port " + port + " is not 1 to 65535");
      }
      return URI.create("http://" + address + "/metrics");
    }
    try {
      URI url = new URI(address);
      if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null
          || url.getRawUserInfo() != null) {
        throw new URISyntaxException(address, "not an http:// or https:// URL with a host");
      }
      return url;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + spec + "': write the address as HOST:PORT (e.g. 127.0.0.1:9401) or as"
          + " a URL (http://host:9401/metrics)");
    }
  }
}
