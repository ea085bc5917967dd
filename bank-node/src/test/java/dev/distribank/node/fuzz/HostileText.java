package dev.distribank.node.fuzz;

import java.util.Random;

/**
 * Text a client may send and the bank must refuse: forbidden code points (controls, bidi and other format characters,
 * line separators, private-use and unassigned code points) hidden in a clean value, near-misses of a strict form
 * (spaces, homoglyphs, full-width digits, capitals), and values of 100,000 characters.
 */
public final class HostileText {
  /**
   * Code points no name, login, account id, PIX key or grantee may hold. Several are whitespace to
   * {@link String#strip} (TAB, LF, CR, U+001F, U+2028, U+2029): a server that trims instead of refusing lets them in.
   * Lone surrogates cannot travel in valid UTF-8, so unassigned code points (U+0378, U+FFFF) stand in for them.
   */
  static final int[] FORBIDDEN = {
      0x0000, 0x0007, 0x0008, 0x0009, 0x000A, 0x000D, 0x001B, 0x001F, 0x007F, 0x0085, // controls
      0x00AD, 0x061C, 0x200B, 0x200D, 0x200E, 0x202A, 0x202E, 0x2066, 0x2069, 0xFEFF, 0xE0001, // format, bidi
      0x2028, 0x2029, // line and paragraph separators
      0xE000, 0xF8FF, 0xF0000, // private use
      0x0378, 0xFFFF, 0x10FFFF}; // unassigned

  /** Values so long that only a length limit or a pattern stops them. */
  static final int HUGE_LENGTH = 100_000;

  private HostileText() {}

  static String forbiddenCodePoint(Random r) {
    return Character.toString(FORBIDDEN[r.nextInt(FORBIDDEN.length)]);
  }

  /** {@code clean} with a forbidden code point (or an ANSI escape sequence) before, after or inside it. */
  static String hide(Random r, String clean) {
    String bad = r.nextInt(8) == 0 ? "\u001B[31m" : forbiddenCodePoint(r);
    return switch (r.nextInt(4)) {
      case 0 -> bad + clean;
      case 1 -> clean + bad;
      case 2 -> "\u202E" + new StringBuilder(clean).reverse() + "\u202C"; // displays as clean, is not
      default -> {
        int at = clean.isEmpty() ? 0 : r.nextInt(clean.length() + 1);
        yield clean.substring(0, at) + bad + clean.substring(at);
      }
    };
  }

  /**
   * {@code clean}, which must be in a strict form (an account id, a login, a grantee), spelled so that no strict
   * parser accepts it while it may look the same: spaces, a no-break space, a Cyrillic homoglyph, full-width digits,
   * capitals, a doubled separator.
   */
  static String misspell(Random r, String clean) {
    String out = switch (r.nextInt(8)) {
      case 0 -> " " + clean;
      case 1 -> clean + " ";
      case 2 -> clean + "\u00A0";
      case 3 -> homoglyph(clean);
      case 4 -> fullWidthDigits(clean);
      case 5 -> clean.toUpperCase(java.util.Locale.ROOT);
      case 6 -> clean.replaceFirst(":", "::");
      default -> clean.replaceFirst(":", " : ");
    };
    return out.equals(clean) ? " " + clean : out; // a login has no ':' to double
  }

  /** A value of {@value #HUGE_LENGTH} code points, sometimes all of them forbidden. */
  static String huge(Random r, String clean) {
    return switch (r.nextInt(3)) {
      case 0 -> clean + "1".repeat(HUGE_LENGTH);
      case 1 -> "a".repeat(HUGE_LENGTH) + clean;
      default -> forbiddenCodePoint(r).repeat(HUGE_LENGTH);
    };
  }

  /** A value that must fail a strict form: hidden, misspelled, huge or empty. */
  static String strict(Random r, String clean) {
    return switch (r.nextInt(10)) {
      case 0, 1, 2, 3 -> hide(r, clean);
      case 4, 5, 6 -> misspell(r, clean);
      case 7, 8 -> huge(r, clean);
      default -> "";
    };
  }

  /** A value holding at least one forbidden code point: hidden in {@code clean}, or huge and forbidden throughout. */
  static String forbidden(Random r, String clean) {
    return r.nextInt(12) == 0 ? forbiddenCodePoint(r).repeat(1 + r.nextInt(HUGE_LENGTH)) : hide(r, clean);
  }

  private static String homoglyph(String clean) {
    for (char latin : new char[] {'a', 'e', 'o', 'p', 'c'}) {
      int at = clean.indexOf(latin);
      if (at >= 0) {
        char cyrillic = "аеорс".charAt("aeopc".indexOf(latin));
        return clean.substring(0, at) + cyrillic + clean.substring(at + 1);
      }
    }
    return "а" + clean;
  }

  private static String fullWidthDigits(String clean) {
    var out = new StringBuilder();
    boolean changed = false;
    for (char c : clean.toCharArray()) {
      if (c >= '0' && c <= '9') {
        out.append((char) ('０' + (c - '0')));
        changed = true;
      } else {
        out.append(c);
      }
    }
    return changed ? out.toString() : clean + "１";
  }

  /** {@code text} as a failure report may print it: forbidden code points as U+XXXX, at most 200 code points. */
  public static String show(String text) {
    var out = new StringBuilder();
    int count = 0;
    for (int i = 0; i < text.length(); count++) {
      int cp = text.codePointAt(i);
      if (count == 200) {
        return out.append("…(").append(text.codePointCount(0, text.length())).append(" code points)").toString();
      }
      if (isForbidden(cp) || cp == '\\') {
        out.append(String.format("\\u{%04X}", cp));
      } else {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  /** The server's rule for what a client may never name, restated here so the test does not borrow the server's. */
  static boolean isForbidden(int cp) {
    return switch (Character.getType(cp)) {
      case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE,
          Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
      default -> false;
    };
  }

  /** Whether {@code text} holds a code point {@link #isForbidden}. */
  static boolean hasForbidden(String text) {
    return text.codePoints().anyMatch(HostileText::isForbidden);
  }
}
