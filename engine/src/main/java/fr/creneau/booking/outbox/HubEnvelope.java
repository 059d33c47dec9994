package fr.creneau.booking.outbox;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Wraps an RS-SAS-RDV {@code appointment} as the Hub Santé routes it: the EDXL-DE envelope
 * ({@code EDXL-DE-full.schema.json} of {@code ansforge/SAMU-Hub-Modeles}) whose one content object
 * embeds {@code {"message": {RC-DE header..., "appointment": {...}}}}. Instants are written in the
 * Hub's format: whole seconds and an explicit numeric offset, never {@code Z} nor milliseconds
 * (Europe/Paris, so {@code +01:00} or {@code +02:00}); {@code distributionID} and the RC-DE
 * {@code messageId} are {@code <senderId>_<uuid>}; {@code dateTimeExpires} is
 * {@code dateTimeSent + expiresAfter}. Immutable and thread-safe.
 *
 * @param senderId     the sender's Hub id, e.g. {@code fr.health.samu075}
 * @param recipientId  the recipient's Hub id (the LRM, or the SAS platform), e.g. {@code fr.health.samu075.lrm}
 * @param expiresAfter how long the message stays worth delivering
 * @param exercise     {@code Exercise} instead of {@code Actual} (a drill, a test platform)
 */
public record HubEnvelope(String senderId, String recipientId, Duration expiresAfter, boolean exercise) {
    private static final Pattern HUB_ID = Pattern.compile("[a-z]{2}\\.[a-z]+\\.[A-Za-z0-9.\\-]{1,80}");
    private static final DateTimeFormatter HUB_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx", Locale.ROOT);
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    // After the patterns: a static initialiser runs in text order.
    /** What a host gets without configuring one: a local sender and recipient, one week to expiry. */
    public static final HubEnvelope DEFAULT = new HubEnvelope("fr.health.creneau", "fr.health.lrm", Duration.ofDays(7),
        false);

    public HubEnvelope {
        Objects.requireNonNull(expiresAfter, "expiresAfter");
        if (senderId == null || !HUB_ID.matcher(senderId).matches() || recipientId == null
            || !HUB_ID.matcher(recipientId).matches()) {
            throw new IllegalArgumentException("Hub ids look like fr.health.samu075: " + senderId + ", " + recipientId);
        }
        if (expiresAfter.isNegative() || expiresAfter.isZero()) {
            throw new IllegalArgumentException("expiresAfter must be positive");
        }
    }

    /** An instant in the Hub's format (seconds, explicit offset, no {@code Z}). */
    public static String hubTime(final Instant at) {
        return HUB_TIME.format(at.atZone(PARIS));
    }

    /** {@code <senderId>_<id>}. */
    public String distributionId(final UUID id) {
        return senderId + "_" + id;
    }

    /**
     * The envelope around {@code appointment}.
     *
     * @param id     the message's stable id
     * @param sentAt when the change was recorded
     * @param update {@code true} for an {@code UpdateAppointment} ({@code distributionKind} Update),
     *               {@code false} for a creation (Report)
     */
    public ObjectNode wrap(final UUID id, final Instant sentAt, final boolean update, final ObjectNode appointment) {
        final JsonNodeFactory f = JsonNodeFactory.instance;
        final String distribution = distributionId(id);
        final String sent = hubTime(sentAt);
        final String kind = update ? "Update" : "Report";
        final String status = exercise ? "Exercise" : "Actual";
        final ObjectNode edxl = f.objectNode();
        edxl.put("distributionID", distribution);
        edxl.put("senderID", senderId);
        edxl.put("dateTimeSent", sent);
        edxl.put("dateTimeExpires", hubTime(sentAt.plus(expiresAfter)));
        edxl.put("distributionStatus", status);
        edxl.put("distributionKind", kind);
        final ObjectNode descriptor = edxl.putObject("descriptor");
        descriptor.put("language", "fr-FR");
        final ObjectNode address = descriptor.putObject("explicitAddress");
        address.put("explicitAddressScheme", "hubex");
        address.put("explicitAddressValue", recipientId);
        final ObjectNode message = edxl.putArray("content").addObject().putObject("jsonContent")
            .putObject("embeddedJsonContent").putObject("message");
        message.put("messageId", distribution);
        final ObjectNode sender = message.putObject("sender");
        sender.put("name", shortName(senderId));
        sender.put("URI", "hubsante:" + senderId);
        message.put("sentAt", sent);
        message.put("kind", kind);
        message.put("status", status);
        final ObjectNode recipient = message.putArray("recipient").addObject();
        recipient.put("name", shortName(recipientId));
        recipient.put("URI", "hubsante:" + recipientId);
        message.set("appointment", appointment);
        return edxl;
    }

    private static String shortName(final String hubId) {
        return hubId.substring(hubId.lastIndexOf('.') + 1);
    }
}
