package fr.creneau;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** Defect 12.10: what {@link Creneau#index()} hands a host cannot write the index nor change a slot's state. */
class IndexViewTest {
    private static final Set<String> WRITERS = Set.of("replace", "updateDirectory", "advance", "casState", "retire");

    @Test
    void theHostsIndexHasNoWriterNorStateChangingMethod() throws Exception {
        final Class<?> type = Creneau.class.getMethod("index").getReturnType();
        assertThat(Modifier.isFinal(type.getModifiers())).as("final: cannot be cast to a writer").isTrue();
        final Set<String> methods = Arrays.stream(type.getMethods()).map(Method::getName).collect(Collectors.toSet());
        assertThat(methods).doesNotContainAnyElementsOf(WRITERS).contains("cursor", "findSlot", "stateWord", "cells");
        try (Creneau c = Creneau.builder().expiryTimer(false).build()) {
            assertThat(type.isInstance(c.index())).isTrue();
            assertThat(c.index().getClass()).isEqualTo(type);
        }
    }
}
