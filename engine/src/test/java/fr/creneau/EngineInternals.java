package fr.creneau;

import fr.creneau.index.SlotIndex;

/** What the engine's tests may see of a {@link Creneau} that hosts may not: its index, writer included. */
public final class EngineInternals {
    private EngineInternals() {
    }

    /** The instance's slot index (cursors, cell table; read it, do not write it behind the facade's lock). */
    public static SlotIndex index(final Creneau creneau) {
        return creneau.slotIndex();
    }
}
