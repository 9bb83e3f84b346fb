package io.zonemesh.config.yaml;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's character source over a document already in memory, in time linear in its length.
 *
 * <p>Why not SnakeYAML's own {@link StreamReader}: it reads 1,024 characters at a time and on
 * every read copies the whole window from the start of the token being scanned
 * ({@code Arrays.copyOfRange(dataWindow, pointer, ...)}), so one token of n characters costs
 * n²/2,048 copied code points: an 8 MB scalar took 17.5 s and 1.6 GB (SnakeYAML 2.4 and 2.5 alike).
 * We hold the whole document anyway (files are read whole and bounded by {@link YamlLimits}),
 * so this reader converts it to code points once and serves every look-ahead from that array.
 *
 * <p>Every public method of {@link StreamReader} is overridden with the same semantics (line and
 * column counting, {@code '\0'} past the end, the document index behind
 * {@code LoaderOptions.codePointLimit}); the superclass's own state stays empty and unused.
 * Not thread-safe, like the scanner that owns it.
 */
final class WholeTextReader extends StreamReader {
    private static final String NAME = "'reader'";

    private final int[] codePoints;
    private final int length;
    /** Index of the first character YAML forbids, or {@code length}. */
    private final int firstNonPrintable;

    private int pointer;
    private int index;
    private int documentIndex;
    private int line;
    private int column;

    WholeTextReader(String text) {
        super("");
        int[] points = new int[text.length()];
        int n = 0;
        int bad = -1;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (bad < 0 && !isPrintable(c)) {
                bad = n;
            }
            points[n++] = c;
            i += Character.charCount(c);
        }
        this.codePoints = points;
        this.length = n;
        this.firstNonPrintable = bad < 0 ? n : bad;
    }

    @Override
    public Mark getMark() {
        // Mark keeps a reference to the buffer for its snippet (no copy), and reads around pointer only.
        return new Mark(NAME, index, line, column, codePoints, pointer);
    }

    @Override
    public void forward() {
        forward(1);
    }

    @Override
    public void forward(int count) {
        for (int i = 0; i < count && available(0); i++) {
            int c = codePoints[pointer++];
            index++;
            documentIndex++;
            if (Constant.LINEBR.has(c) || (c == '\r' && available(0) && codePoints[pointer] != '\n')) {
                line++;
                column = 0;
            } else if (c != '\uFEFF') {
                column++;
            }
        }
    }

    @Override
    public int peek() {
        return peek(0);
    }

    @Override
    public int peek(int offset) {
        return available(offset) ? codePoints[pointer + offset] : '\0';
    }

    @Override
    public String prefix(int count) {
        if (count == 0) {
            return "";
        }
        int n = available(count) ? count : Math.min(count, length - pointer);
        return new String(codePoints, pointer, n);
    }

    @Override
    public String prefixForward(int count) {
        String prefix = prefix(count);
        // As SnakeYAML: callers only pass runs without line breaks, so only the column moves.
        pointer += count;
        index += count;
        documentIndex += count;
        column += count;
        return prefix;
    }

    @Override
    public int getColumn() {
        return column;
    }

    @Override
    public int getDocumentIndex() {
        return documentIndex;
    }

    @Override
    public void resetDocumentIndex() {
        documentIndex = 0;
    }

    @Override
    public int getIndex() {
        return index;
    }

    @Override
    public int getLine() {
        return line;
    }

    /**
     * Whether the character at {@code pointer + offset} exists. Like SnakeYAML, a forbidden
     * character fails the scan when the scanner looks at it, not before.
     */
    private boolean available(int offset) {
        int at = pointer + offset;
        if (at >= firstNonPrintable && firstNonPrintable < length) {
            throw new ReaderException(
                    NAME, firstNonPrintable, codePoints[firstNonPrintable], "special characters are not allowed");
        }
        return at < length;
    }
}
