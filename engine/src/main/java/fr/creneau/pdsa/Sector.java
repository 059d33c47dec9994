package fr.creneau.pdsa;

import java.util.Objects;

import org.locationtech.jts.geom.Geometry;

/**
 * One PDSA sector: the area one on-call effector covers at a time. Immutable.
 *
 * @param id       the sector's id (unique in the file)
 * @param name     display name
 * @param geometry its Polygon or MultiPolygon, x = longitude, y = latitude (WGS84)
 */
public record Sector(String id, String name, Geometry geometry) {
    public Sector {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(geometry, "geometry");
    }
}
