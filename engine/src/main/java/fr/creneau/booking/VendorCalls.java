package fr.creneau.booking;

import java.util.function.Supplier;

import fr.creneau.directory.Directory;
import fr.creneau.directory.Integration;
import fr.creneau.directory.Vendor;
import fr.creneau.directory.VendorRegistry;
import fr.creneau.feed.BookingUrls;
import fr.creneau.feed.SlotRecord;
import fr.creneau.rank.BookingMethod;
import fr.creneau.slot.SlotId;

/**
 * Everything {@link BookingService} asks of the vendors: the booking and cancellation of an
 * end-to-end vendor's slot through the {@link BookingGateway} (the hold token as idempotency key),
 * the check at hold (the live pull's {@link HoldCheck}), the deep link of a slot, and how a
 * slot is booked (online or by phone). No call here holds a claim's monitor: the service makes
 * the calls between two monitor sections (others on that slot wait or are refused meanwhile).
 *
 * <p>Thread-safe: the gateway must be; the registered check and links are volatile.
 */
final class VendorCalls {
    /** A gateway's answer, or why there is none (an exception, or nothing answered). */
    record Answer(BookingGateway.Response response, String failure) {
        boolean answered() {
            return response != null;
        }
    }

    private final BookingGateway gateway;
    private final VendorRegistry vendors;
    private final Supplier<Directory> directory;
    private volatile HoldCheck holdCheck;
    private volatile BookingUrls bookingUrls;
    private volatile String bookingOrigin;

    VendorCalls(final BookingGateway gateway, final VendorRegistry vendors, final Supplier<Directory> directory) {
        this.gateway = gateway;
        this.vendors = vendors;
        this.directory = directory;
    }

    /** Books the claim's slot at its vendor for {@code patient} (handed to the gateway and nowhere else). */
    Answer book(final Claim c, final Patient patient) {
        try {
            return answer(gateway.book(request(c, patient)));
        } catch (final Exception e) {
            return new Answer(null, String.valueOf(e));
        }
    }

    /** Cancels the claim's booking {@code reference} at its vendor. */
    Answer cancel(final Claim c, final String reference) {
        try {
            return answer(gateway.cancel(request(c, null), reference));
        } catch (final Exception e) {
            return new Answer(null, String.valueOf(e));
        }
    }

    private static Answer answer(final BookingGateway.Response r) {
        return new Answer(r, r == null ? "the gateway answered nothing" : null);
    }

    private static BookingGateway.Request request(final Claim c, final Patient patient) {
        return new BookingGateway.Request(c.token, c.facts.slot(), c.facts.start(), c.facts.end(), c.facts.modalities(),
            c.operator, patient);
    }

    void holdCheck(final HoldCheck check) {
        this.holdCheck = check;
    }

    HoldCheck holdCheck() {
        return holdCheck;
    }

    /**
     * The check at hold of a vendor slot; {@link HoldCheck.Outcome#NOT_CHECKED} without one (or for
     * a manual slot); a check that throws is a vendor that could not be asked.
     */
    HoldCheck.Outcome check(final SlotId key, final int source) {
        final HoldCheck check = holdCheck;
        if (check == null || source == SlotRecord.MANUAL) {
            return HoldCheck.Outcome.NOT_CHECKED;
        }
        try {
            final HoldCheck.Outcome o = check.check(key);
            return o == null ? HoldCheck.Outcome.NOT_CHECKED : o;
        } catch (final RuntimeException e) {
            System.getLogger(BookingService.class.getName()).log(System.Logger.Level.WARNING,
                "check at hold of " + key + " failed: " + e, e);
            return HoldCheck.Outcome.UNREACHABLE;
        }
    }

    void bookingUrls(final BookingUrls urls, final String origin) {
        this.bookingUrls = urls;
        this.bookingOrigin = origin;
    }

    /** The deep link of a vendor slot, with the platform's origin parameter, or {@code null}. */
    String bookingUrl(final SlotId key, final int source) {
        final BookingUrls urls = bookingUrls;
        if (urls == null || source == SlotRecord.MANUAL) {
            return null;
        }
        final int practitioner = directory.get().indexOf(key.rpps());
        return practitioner < 0 ? null
            : BookingUrls.withOrigin(urls.url(source, practitioner, key.startMinute()), bookingOrigin);
    }

    /** ONLINE for an end-to-end vendor's slot, PHONE for the others and manual slots. */
    BookingMethod method(final int source) {
        if (source == SlotRecord.MANUAL) {
            return BookingMethod.PHONE;
        }
        final Vendor v = vendors.byId(source);
        return v != null && v.integration() == Integration.END_TO_END ? BookingMethod.ONLINE : BookingMethod.PHONE;
    }
}
