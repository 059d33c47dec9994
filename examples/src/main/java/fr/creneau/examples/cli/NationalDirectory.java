package fr.creneau.examples.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import fr.creneau.Creneau;
import fr.creneau.feed.AnnuaireSanteLoader;
import fr.creneau.feed.IngestReport;

/**
 * A data directory's directory taken from the national sources: {@code directory/annuaire.json}
 * (the ANS "Annuaire Santé" in FHIR) and, beside it, the optional SAS overlay
 * {@code directory/overlay.json}. Used when the data directory has no {@code practitioners.json},
 * which stays the default.
 */
final class NationalDirectory {
    static final String DIR = "directory";
    static final String ANNUAIRE = "annuaire.json";
    static final String OVERLAY = "overlay.json";

    private NationalDirectory() {
    }

    /** {@code true} when {@code data} has a national directory file. */
    static boolean present(final Path data) {
        return Files.isRegularFile(data.resolve(DIR).resolve(ANNUAIRE), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Loads it; what was rejected is counted on stderr in one line per file (the library's
     * reports), since a national file lists many professionals the SAS does not route to.
     */
    static void load(final Creneau creneau, final Path data, final Progress progress) {
        final Path national = data.resolve(DIR).resolve(ANNUAIRE);
        final Path overlay = data.resolve(DIR).resolve(OVERLAY);
        progress.show("loading " + national);
        final AnnuaireSanteLoader.Result result = creneau.loadNationalDirectory(national,
            Files.isRegularFile(overlay, LinkOption.NOFOLLOW_LINKS) ? overlay : null);
        summary(result.report(), progress);
        if (result.overlay().received() > 0) {
            summary(result.overlay(), progress);
        }
    }

    private static void summary(final IngestReport report, final Progress progress) {
        if (report.rejectedTotal() > 0) {
            progress.warn(report.label() + ": " + report.accepted() + " of " + report.received() + " kept, rejected "
                + report.rejectedByReason());
        }
    }
}
