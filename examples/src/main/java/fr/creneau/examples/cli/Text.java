package fr.creneau.examples.cli;

/**
 * Makes text from the data (names, phones, vendor names, file names, engine messages that quote
 * them) or from the command line safe to print: a practitioner's name is written by whoever fills
 * {@code practitioners.json} or a vendor feed, and a terminal obeys what it is sent.
 *
 * <ul>
 *   <li><b>Replaced</b> by U+FFFD: every code point that moves the cursor, ends a line or changes
 *       how the rest is shown: C0 and C1 controls (ESC, CSI, CR, LF, TAB, DEL...), format
 *       characters (bidi embeddings, overrides and isolates, zero-width characters, BOM), the line
 *       and paragraph separators, and unpaired surrogates. Nothing else is touched (accents,
 *       non-Latin scripts and emoji stay).</li>
 *   <li><b>Cut</b> at {@link #FIELD} code points for one value (a table cell, a name in a
 *       message) and at {@link #LINE} for a whole message, the last kept one replaced by
 *       {@link #ELLIPSIS}, so that a 100,000-character name is not echoed whole.</li>
 * </ul>
 * Stateless, thread-safe.
 */
final class Text {
    /** Longest value printed, in code points: wider than any real name, phone or file name. */
    static final int FIELD = 80;
    /** Longest message line, in code points: a sentence that quotes a few values. */
    static final int LINE = 400;
    static final char REPLACEMENT = '\uFFFD';
    static final char ELLIPSIS = '\u2026';

    private Text() {
    }

    /** One value: cleaned and cut at {@link #FIELD}; {@code null} stays {@code null}. */
    static String field(final String s) {
        return s == null ? null : cut(clean(s), FIELD);
    }

    /** One message line: cleaned and cut at {@link #LINE}; {@code null} stays {@code null}. */
    static String line(final String s) {
        return s == null ? null : cut(clean(s), LINE);
    }

    /** {@code s} with every unsafe code point replaced by {@link #REPLACEMENT}; same length in code points. */
    static String clean(final String s) {
        int i = 0;
        while (i < s.length()) {
            final int cp = s.codePointAt(i);
            if (unsafe(cp)) {
                break;
            }
            i += Character.charCount(cp);
        }
        if (i == s.length()) {
            return s; // the usual case: nothing to copy
        }
        final StringBuilder sb = new StringBuilder(s.length()).append(s, 0, i);
        while (i < s.length()) {
            final int cp = s.codePointAt(i);
            if (unsafe(cp)) {
                sb.append(REPLACEMENT);
            } else {
                sb.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /** At most {@code max} code points, the last one an ellipsis when something was cut. */
    static String cut(final String s, final int max) {
        if (s.length() <= max) {
            return s; // fewer chars than max: fewer code points too
        }
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, max - 1)) + ELLIPSIS;
    }

    /** {@code true} for a code point a terminal would act on rather than show. */
    static boolean unsafe(final int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:             // C0, DEL, C1
            case Character.FORMAT:              // bidi controls, zero-width, BOM, soft hyphen
            case Character.LINE_SEPARATOR:      // U+2028
            case Character.PARAGRAPH_SEPARATOR: // U+2029
            case Character.SURROGATE:           // unpaired: not a character at all
                return true;
            default:
                return false;
        }
    }
}
