package dev.distribank.cli.text;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.base.Strings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for people: a header row, then one row per item, each column as wide as its widest cell,
 * amounts right-aligned so their decimal points line up.
 */
public final class Table {
  private static final String GAP = "  ";

  private final List<String> headers = new ArrayList<>();
  private final List<Boolean> rightAligned = new ArrayList<>();
  private final List<List<String>> rows = new ArrayList<>();

  /** Adds a column whose cells start at its left edge (names, ids). */
  public Table left(String header) {
    headers.add(header);
    rightAligned.add(false);
    return this;
  }

  /** Adds a column whose cells end at its right edge (amounts). */
  public Table right(String header) {
    headers.add(header);
    rightAligned.add(true);
    return this;
  }

  /** Adds a row: one cell per column, in column order. */
  public Table row(String... cells) {
    checkArgument(cells.length == headers.size(), "%s cells for %s columns", cells.length, headers.size());
    rows.add(List.of(cells));
    return this;
  }

  /** Prints the table, or only {@code whenEmpty} when it has no rows (a header over nothing reads as a glitch). */
  public void print(PrintWriter out, String whenEmpty) {
    if (rows.isEmpty()) {
      out.println(whenEmpty);
    } else {
      print(out);
    }
  }

  /** Prints the header row and every row, even when there are none. */
  public void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (int c = 0; c < widths.length; c++) {
      widths[c] = headers.get(c).length();
      for (List<String> row : rows) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    printRow(out, headers, widths);
    rows.forEach(row -> printRow(out, row, widths));
  }

  private void printRow(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      line.append(c == 0 ? "" : GAP)
          .append(rightAligned.get(c) ? Strings.padStart(cell, widths[c], ' ') : Strings.padEnd(cell, widths[c], ' '));
    }
    out.println(line.toString().stripTrailing());
  }
}
