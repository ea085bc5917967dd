package dev.distribank.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Column-family names do not depend on the JVM's locale: in a Turkish locale "PIX_KEYS".toLowerCase() is "pıx_keys",
 * and a node started that way would open empty families beside the bank's data.
 */
class StoreLocaleTest {
  @Test
  void familyNames_sameInATurkishLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("tr-TR"));
      assertEquals("pix_keys", new String(Store.Family.PIX_KEYS.cfName(), StandardCharsets.UTF_8));
      assertEquals("voted_requests", new String(Store.Family.VOTED_REQUESTS.cfName(), StandardCharsets.UTF_8));
    } finally {
      Locale.setDefault(before);
    }
  }
}
