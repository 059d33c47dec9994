package fr.creneau.index;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.uber.h3core.H3Core;

/** The process-wide h3-java instance: its methods are stateless JNI calls, safe from any thread. */
public final class H3 {
    public static final H3Core CORE = load();

    private H3() {
    }

    private static H3Core load() {
        try {
            return H3Core.newInstance();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot load the h3 native library", e);
        }
    }
}
