package fr.creneau.directory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The French communes with a representative position, bundled in the jar
 * ({@code fr/creneau/directory/communes.csv}, INSEE COG 2024 and La Poste, see the
 * {@code SOURCES.md} beside it): places a site or a structure known only by its address at its
 * commune. Nothing is read outside the class path.
 *
 * <p>Loaded once, on first use (about 35k rows, a few MB of heap); immutable and thread-safe
 * afterwards. Lookups allocate nothing beyond the argument.
 */
public final class Communes {

    /**
     * One commune.
     *
     * @param inseeCode  INSEE code (five characters)
     * @param name       official name
     * @param departement département code (01..95, 2A, 2B, 971..976)
     * @param lat        WGS84 latitude of a point close to its centre
     * @param lon        WGS84 longitude
     * @param population 2021 census population (0 for Mayotte)
     */
    public record Commune(String inseeCode, String name, String departement, double lat, double lon,
                          int population) {
    }

    private static final String RESOURCE = "communes.csv";

    private final Map<String, Commune> byInsee;
    /** Postal code to the most populous commune that has it. */
    private final Map<String, Commune> byPostalCode;

    private Communes(final Map<String, Commune> byInsee, final Map<String, Commune> byPostalCode) {
        this.byInsee = byInsee;
        this.byPostalCode = byPostalCode;
    }

    /** The bundled table. */
    public static Communes bundled() {
        return Holder.BUNDLED;
    }

    /** The commune with this INSEE code, or {@code null}. */
    public Commune byInsee(final String inseeCode) {
        return inseeCode == null ? null : byInsee.get(inseeCode.strip());
    }

    /** The most populous commune served by this postal code, or {@code null}. */
    public Commune byPostalCode(final String postalCode) {
        return postalCode == null ? null : byPostalCode.get(postalCode.strip());
    }

    /** The commune of an address: by INSEE code first, then by postal code; {@code null} if neither is known. */
    public Commune of(final Address address) {
        if (address == null) {
            return null;
        }
        final Commune c = byInsee(address.inseeCode());
        return c != null ? c : byPostalCode(address.postalCode());
    }

    /** Every commune, in no particular order. */
    public java.util.Collection<Commune> all() {
        return byInsee.values();
    }

    /** Number of communes. */
    public int size() {
        return byInsee.size();
    }

    private static final class Holder {
        static final Communes BUNDLED = load();
    }

    private static Communes load() {
        final Map<String, Commune> insee = new HashMap<>(1 << 16);
        final Map<String, Commune> postal = new HashMap<>(1 << 15);
        try (InputStream in = Communes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bundled " + RESOURCE + " missing from the class path");
            }
            final BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            r.readLine(); // header
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                final String[] f = line.split(",", -1);
                final Commune c = new Commune(f[0], f[1], f[2], Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    f[6].isEmpty() ? 0 : Integer.parseInt(f[6]));
                insee.put(c.inseeCode(), c);
                for (final String code : f[3].split(" ")) {
                    if (!code.isEmpty()) {
                        postal.merge(code, c, (a, b) -> a.population() >= b.population() ? a : b);
                    }
                }
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read the bundled " + RESOURCE, e);
        }
        return new Communes(Map.copyOf(insee), Map.copyOf(postal));
    }
}
