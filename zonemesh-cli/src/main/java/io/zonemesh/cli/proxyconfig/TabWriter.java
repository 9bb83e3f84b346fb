package io.zonemesh.cli.proxyconfig;

import java.util.ArrayList;
import java.util.List;

/**
 * A table as istioctl prints it through Go's {@code text/tabwriter} ({@code minwidth 0},
 * {@code padchar ' '}, no flags): every cell but a row's last is padded to its column's widest
 * cell plus {@code padding}; the last cell is written as is (so a row ending in an empty cell
 * keeps its padding, as Go's output does). Rows here all have the header's number of cells.
 */
final class TabWriter {
    private final int padding;
    private final List<List<String>> rows = new ArrayList<>();

    TabWriter(int padding) {
        this.padding = padding;
    }

    /** Adds a row; {@code cells.length} must equal the first row's. */
    TabWriter row(String... cells) {
        if (!rows.isEmpty() && rows.get(0).size() != cells.length) {
            throw new IllegalArgumentException(
                    "cells: " + cells.length + " (expected: " + rows.get(0).size() + ", as the header)");
        }
        rows.add(List.of(cells));
        return this;
    }

    /** The rows added so far, header first (tests compare them with ports replaced). */
    List<List<String>> rows() {
        return List.copyOf(rows);
    }

    @Override
    public String toString() {
        if (rows.isEmpty()) {
            return "";
        }
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                widths[c] = Math.max(widths[c], width(row.get(c)) + padding);
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int c = 0; c < columns - 1; c++) {
                String cell = row.get(c);
                out.append(cell).append(" ".repeat(widths[c] - width(cell)));
            }
            out.append(row.get(columns - 1)).append('\n');
        }
        return out.toString();
    }

    /** Go's tabwriter counts runes (UTF-8 code points), not UTF-16 units. */
    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
