package fr.creneau.rank;

/** How the OSNP completes a booking. */
public enum BookingMethod {
    /** Online, through a vendor interfaced end to end. */
    ONLINE,
    /** By phone: manual slot, aggregation-only vendor, MT without slot, surnuméraire, CPTS. */
    PHONE
}
