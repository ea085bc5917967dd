package dev.distribank.node.core.ledger;

import java.text.Normalizer;

/**
 * Text hygiene for everything a client names: people's names, logins, account ids, PIX keys, consent grantees.
 *
 * <p>Control characters (a NUL, an ESC sequence), format characters (the bidi overrides such as U+202E that make
 * {@code alpha:1002} display as something else), line and paragraph separators, surrogates, private-use and
 * unassigned code points are refused, never stripped: a value that arrives with one is refused naming the field and
 * the code point, so what is stored is exactly what was checked. Names are then normalised to NFC, so that the same
 * name typed with composed or decomposed accents is one name, and measured in code points, not UTF-16 units.
 */
public final class Text {
  /** How much of a bad value a refusal quotes back. */
  private static final int QUOTE_CODE_POINTS = 40;

  private Text() {}

  /** The index (in chars) of the first code point no name, login, id or key may contain, or -1 if there is none. */
  static int firstForbidden(String value) {
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (forbidden(cp)) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return -1;
  }

  /** Whether {@code cp} may never appear in what a client names. */
  static boolean forbidden(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE,
          Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
      default -> false;
    };
  }

  /**
   * Refuses {@code value} with {@code reason} naming {@code field} if it holds a forbidden code point; returns it
   * unchanged otherwise. A null value passes (the caller's own rule refuses a missing one).
   */
  public static String requireClean(String value, Reason reason, String field, String what) {
    if (value == null) {
      return null;
    }
    int at = firstForbidden(value);
    if (at >= 0) {
      int cp = value.codePointAt(at);
      throw Rejection.of(reason, field, what + " has the forbidden character " + describe(cp) + " at position "
          + (value.codePointCount(0, at) + 1) + ": control, format (bidi), separator, private-use and unassigned "
          + "characters are refused, never removed").with("code_point", String.format("U+%04X", cp)).toException();
    }
    return value;
  }

  /**
   * A person's or company's name: no forbidden characters, NFC, without leading or trailing spaces, 1 to
   * {@code maxCodePoints} code points.
   */
  static String name(String raw, String field, int maxCodePoints) {
    requireClean(raw, Reason.INVALID_NAME, field, "the name");
    String name = raw == null ? "" : Normalizer.normalize(raw, Normalizer.Form.NFC).strip();
    int length = name.codePointCount(0, name.length());
    if (length == 0 || length > maxCodePoints) {
      throw Rejection.of(Reason.INVALID_NAME, field, "name must have 1 to " + maxCodePoints + " characters, got "
          + length).toException();
    }
    return name;
  }

  /** Length in code points, the unit every text limit is stated in. */
  static int length(String value) {
    return value.codePointCount(0, value.length());
  }

  /**
   * Bad input as a refusal may quote it: at most {@value #QUOTE_CODE_POINTS} code points, every forbidden one shown
   * as U+XXXX, so an echoed value can neither forge a log line nor reorder what a terminal shows.
   */
  public static String quote(String raw) {
    if (raw == null) {
      return "";
    }
    var out = new StringBuilder();
    int count = 0;
    for (int i = 0; i < raw.length(); count++) {
      int cp = raw.codePointAt(i);
      if (count == QUOTE_CODE_POINTS) {
        return out.append('…').toString();
      }
      if (forbidden(cp)) {
        out.append(String.format("U+%04X", cp));
      } else {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  private static String describe(int cp) {
    String name = Character.getName(cp);
    return String.format("U+%04X", cp) + (name == null ? "" : " (" + name + ")");
  }
}
