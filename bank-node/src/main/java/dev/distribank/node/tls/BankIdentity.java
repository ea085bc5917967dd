package dev.distribank.node.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which bank a certificate speaks for: the one URI SAN {@code spiffe://distribank/bank/<id>} the consortium CA puts in
 * every bank's certificate. A certificate with none, or with several, speaks for no bank.
 */
public final class BankIdentity {
  static final String URI_PREFIX = "spiffe://distribank/bank/";
  private static final Pattern BANK_ID = Pattern.compile("[a-z][a-z0-9-]{1,15}");
  /** {@code GeneralName} tag of a uniformResourceIdentifier. */
  private static final int URI = 6;

  private BankIdentity() {}

  /** The bank {@code certificate} names, if it names exactly one. */
  public static Optional<String> of(X509Certificate certificate) {
    var banks = new ArrayList<String>();
    try {
      var names = certificate.getSubjectAlternativeNames();
      if (names == null) {
        return Optional.empty();
      }
      for (List<?> name : names) {
        if (name.size() == 2 && Integer.valueOf(URI).equals(name.get(0)) && name.get(1) instanceof String uri
            && uri.startsWith(URI_PREFIX)) {
          banks.add(uri.substring(URI_PREFIX.length()));
        }
      }
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    return banks.size() == 1 && BANK_ID.matcher(banks.get(0)).matches() ? Optional.of(banks.get(0))
        : Optional.empty();
  }

  /** How to name a certificate in a log line: its bank if it names one, else its subject. */
  public static String describe(X509Certificate certificate) {
    return of(certificate).map(b -> "bank " + b).orElseGet(() -> "'" + certificate.getSubjectX500Principal()
        .getName() + "' (names no bank)") + ", serial " + certificate.getSerialNumber().toString(16);
  }
}
