package io.jpeer.mon;

import java.util.ArrayList;
import java.util.List;

/**
 * Ceph's plain-text tables (its TextTable): each column as wide as its widest cell, headings
 * left-aligned, cells left- or right-aligned per column, columns two spaces apart, every cell
 * padded (so rows keep trailing blanks, as Ceph's do).
 */
final class TextTable {
  enum Align { LEFT, RIGHT }

  private final List<String> headings = new ArrayList<>();
  private final List<Align> aligns = new ArrayList<>();
  private final List<List<String>> rows = new ArrayList<>();

  TextTable column(String heading, Align cells) {
    headings.add(heading);
    aligns.add(cells);
    return this;
  }

  /** Adds one row; one value per column, printed with String.valueOf. */
  TextTable row(Object... cells) {
    if (cells.length != headings.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + headings.size() + " columns");
    }
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(String.valueOf(c));
    }
    rows.add(r);
    return this;
  }

  @Override
  public String toString() {
    int[] width = new int[headings.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = headings.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    line(b, headings, width, true);
    for (List<String> r : rows) {
      line(b, r, width, false);
    }
    return b.toString();
  }

  private void line(StringBuilder b, List<String> cells, int[] width, boolean heading) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        b.append("  ");
      }
      String c = cells.get(i);
      String pad = " ".repeat(width[i] - c.length());
      if (!heading && aligns.get(i) == Align.RIGHT) {
        b.append(pad).append(c);
      } else {
        b.append(c).append(pad);
      }
    }
    b.append('\n');
  }
}
