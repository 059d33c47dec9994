package fr.creneau.pdsa;

/** Why a sector or a shift of the PDSA files was left out. */
public enum PdsaRejectReason {
    /** A sector without {@code id} or {@code name}, or whose geometry is neither a Polygon nor a MultiPolygon. */
    MALFORMED_SECTOR,
    /** A ring of a sector's polygon whose last position is not its first (or with fewer than four positions). */
    POLYGON_NOT_CLOSED,
    /** A sector whose polygon JTS finds invalid (self-intersecting, ...): point-in-polygon would be meaningless. */
    INVALID_POLYGON,
    /** A second sector with an id already seen. */
    DUPLICATE_SECTOR,
    /** A shift without a readable start, end, or neither {@code rpps} nor {@code structure}, or ending before it starts. */
    MALFORMED_SHIFT,
    /** A shift in a sector that does not exist. */
    UNKNOWN_SECTOR,
    /** A shift that overlaps an earlier shift of the same sector (the first one stays). */
    OVERLAPPING_SHIFT,
    /** A shift that ends before the roster's load time or starts 48 h or more after it. */
    OUTSIDE_48H
}
