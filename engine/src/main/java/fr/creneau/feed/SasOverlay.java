package fr.creneau.feed;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import fr.creneau.directory.Cpts;
import fr.creneau.directory.NationalId;
import fr.creneau.directory.Participation;
import fr.creneau.directory.Structure;
import fr.creneau.directory.StructureKind;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;

/**
 * The SAS overlay ({@code overlay.json}, schema {@code fr/creneau/directory/sas-overlay.schema.json}):
 * what the SAS knows of a practitioner that the national directory does not hold, keyed by RPPS
 * or ADELI. A JSON array of entries, streamed one at a time; its field names are those of
 * {@code practitioners.json} where the meaning is the same.
 *
 * <p>A bad entry, or one whose practitioner the national file does not hold (or rejected), is a
 * counted {@link Rejection}: its practitioner, if any, then loads with the national facts only
 * (not registered with the SAS). A file that is not a JSON array, or breaks off, is a
 * {@link FeedFormatException}.
 *
 * <p>One per load; not thread-safe.
 */
final class SasOverlay {

    /**
     * The SAS facts of one practitioner, validated.
     *
     * @param participation        how they take part in the SAS
     * @param acceptsExtraPatients surnuméraire
     * @param refusesVendorSlots   refused the display of their vendor's slots
     * @param vendor               vendor code in the registry, or {@code null}
     * @param structure            id of a structure of the directory, or {@code null}
     * @param cpts                 the CPTS they registered through, or {@code null}
     * @param regulationPhone      the phone reserved for the regulation, or {@code null}
     * @param homeVisitRadiusKm    km, or {@code null} for the ranking default
     */
    record Entry(Participation participation, boolean acceptsExtraPatients, boolean refusesVendorSlots,
                 String vendor, String structure, Cpts cpts, String regulationPhone, Double homeVisitRadiusKm) {
    }

    private final VendorRegistry vendors;
    private final long maxBytes;

    SasOverlay(final VendorRegistry vendors, final long maxBytes) {
        this.vendors = vendors;
        this.maxBytes = maxBytes;
    }

    /**
     * @param known      keys of the practitioners the national file holds
     * @param structures structures of the national file, by id
     * @return the valid entries by practitioner key
     */
    Map<Long, Entry> read(final String label, final InputStream in, final Set<Long> known,
                          final Map<String, Structure> structures, final IngestReport.Builder report) {
        final Map<Long, Entry> out = new HashMap<>();
        Json.eachArrayEntry(in, maxBytes, label, "overlay entries", report,
            (node, position) -> entry(node, position, known, structures, out, report));
        return out;
    }

    private void entry(final JsonNode node, final int position, final Set<Long> known,
                       final Map<String, Structure> structures, final Map<Long, Entry> out,
                       final IngestReport.Builder report) {
        if (node == null || !node.isObject()) {
            report.reject(RejectReason.INVALID_VALUE, "#" + position, "entry is not a JSON object");
            return;
        }
        final boolean hasRpps = Json.has(node, "rpps");
        final boolean hasAdeli = Json.has(node, "adeli");
        final String keyText = hasRpps ? Json.text(node, "rpps") : Json.text(node, "adeli");
        final String id = keyText != null ? Json.clean(keyText) : "#" + position;
        if (hasRpps == hasAdeli) {
            report.reject(RejectReason.INVALID_RPPS, id, "an entry has exactly one of 'rpps' and 'adeli'");
            return;
        }
        final String problem = NationalId.practitionerProblem(keyText);
        if (problem != null) {
            report.reject(RejectReason.INVALID_RPPS, id, problem);
            return;
        }
        final NationalId nid = NationalId.practitioner(keyText);
        if (nid.kind() != (hasRpps ? NationalId.Kind.RPPS : NationalId.Kind.ADELI)) {
            report.reject(RejectReason.INVALID_RPPS, id, (hasRpps ? "'rpps'" : "'adeli'") + " holds an "
                + nid.kind() + " number");
            return;
        }
        final long key = nid.key();
        if (!known.contains(key)) {
            report.reject(RejectReason.UNKNOWN_RPPS, id,
                "not in the national directory (absent, or rejected there): the overlay cannot add a practitioner");
            return;
        }
        if (out.containsKey(key)) {
            report.reject(RejectReason.DUPLICATE_RPPS, id, "listed twice; the first entry is kept");
            return;
        }
        final String participationText = Json.text(node, "participation");
        if (participationText == null) {
            report.reject(RejectReason.MISSING_FIELD, id, "'participation' is missing or not a string");
            return;
        }
        final Participation participation = DirectoryLoader.enumValue(Participation.class, participationText);
        if (participation == null) {
            report.reject(RejectReason.INVALID_VALUE, id, "unknown participation " + Json.quote(participationText));
            return;
        }
        final Boolean extra = optionalBool(node, "acceptsExtraPatients");
        final Boolean refuses = optionalBool(node, "refusesVendorSlots");
        if (extra == null || refuses == null) {
            report.reject(RejectReason.INVALID_VALUE, id, "acceptsExtraPatients and refusesVendorSlots must be booleans");
            return;
        }
        String vendorCode = null;
        if (Json.has(node, "vendor")) {
            final String name = Json.text(node, "vendor");
            final String nameProblem = name == null ? "is not a string" : VendorRegistry.nameProblem(name);
            if (nameProblem != null) {
                report.reject(RejectReason.INVALID_VALUE, id, "vendor name " + nameProblem);
                return;
            }
            final Vendor vendor = vendors.find(name);
            if (vendor == null) {
                report.reject(RejectReason.UNKNOWN_VENDOR, id, "unknown vendor " + Json.quote(name));
                return;
            }
            vendorCode = vendor.code();
        }
        final String[] text = new String[2];
        final String[] fields = {"structure", "regulationPhone"};
        for (int i = 0; i < fields.length; i++) {
            if (Json.has(node, fields[i])) {
                text[i] = Json.text(node, fields[i]);
                if (text[i] == null || text[i].isBlank()) {
                    report.reject(RejectReason.INVALID_VALUE, id, "'" + fields[i] + "' must be a non-empty string or null");
                    return;
                }
            }
        }
        Structure structure = null;
        if (text[0] != null) {
            // A FINESS or SIRET is looked up bare, whether the overlay wrote its prefix or not.
            final String sid = NationalId.structureProblem(text[0]) == null ? NationalId.structure(text[0]).value() : text[0];
            structure = structures.get(sid);
            if (structure == null) {
                report.reject(RejectReason.INVALID_VALUE, id, "unknown structure " + Json.quote(text[0])
                    + ": not a CDS, MSP, CPTS, SOS Médecins or MMG of the national file");
                return;
            }
        }
        Double radius = null;
        if (Json.has(node, "homeVisitRadiusKm")) {
            final JsonNode r = node.get("homeVisitRadiusKm");
            if (!r.isNumber() || !(r.doubleValue() > 0) || Double.isInfinite(r.doubleValue())) {
                report.reject(RejectReason.INVALID_VALUE, id, "homeVisitRadiusKm must be a positive number of km");
                return;
            }
            radius = r.doubleValue();
        }
        Cpts cpts = null;
        if (Json.has(node, "cpts")) {
            final JsonNode c = node.get("cpts");
            final String cptsId = c.isObject() ? Json.text(c, "id") : null;
            final String cptsName = c.isObject() ? Json.text(c, "name") : null;
            final String cptsPhone = c.isObject() ? Json.text(c, "phone") : null;
            if (cptsId == null || cptsName == null || cptsPhone == null
                || cptsId.isBlank() || cptsName.isBlank() || cptsPhone.isBlank()) {
                report.reject(RejectReason.MISSING_FIELD, id, "cpts must have non-empty string id, name and phone");
                return;
            }
            cpts = new Cpts(cptsId, cptsName, cptsPhone);
        } else if (structure != null && structure.kind() == StructureKind.CPTS) {
            // Registered through a CPTS of the national file: that CPTS is the second-level contact.
            cpts = new Cpts(structure.id(), structure.name(), structure.phone());
        }
        if (participation == Participation.CPTS && cpts == null) {
            report.reject(RejectReason.MISSING_FIELD, id, "participation CPTS without a cpts or a CPTS structure");
            return;
        }
        out.put(key, new Entry(participation, extra, refuses, vendorCode, structure == null ? null : structure.id(),
            cpts, text[1], radius));
        report.accepted();
    }

    /** The boolean, {@code false} when absent or null, {@code null} when of another type. */
    private static Boolean optionalBool(final JsonNode node, final String field) {
        final JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        return v.isBoolean() ? v.booleanValue() : null;
    }
}
