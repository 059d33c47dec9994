package fr.creneau.examples.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import picocli.CommandLine;

import fr.creneau.slot.SupportedTime;
import fr.creneau.booking.Operator;
import fr.creneau.directory.Profession;
import fr.creneau.directory.Rpps;
import fr.creneau.feed.Modality;
import fr.creneau.rank.RegulatorQuery;

/** Converters for the command line's value types; a bad value is a usage error (exit 2). */
final class Options {
    private Options() {
    }

    /**
     * ISO-8601 instant ({@code 2026-11-24T09:30:00Z}) or date-time with offset, inside the engine's
     * {@link SupportedTime} range (checked here so that the message names the option).
     */
    static final class NowConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(final String value) {
            final Instant instant;
            try {
                instant = OffsetDateTime.parse(value).toInstant();
            } catch (final DateTimeParseException e) {
                throw new CommandLine.TypeConversionException(
                    "'" + Text.field(value) + "' is not an ISO-8601 date-time with offset (e.g. 2026-11-24T10:30:00+01:00)");
            }
            if (!SupportedTime.contains(instant)) {
                throw new CommandLine.TypeConversionException("'" + Text.field(value) + "' is outside the supported range "
                    + SupportedTime.EARLIEST + " .. " + SupportedTime.END + " (exclusive)");
            }
            return instant;
        }
    }

    /** {@code 48h}, {@code 4h}, {@code 90m}: from 1 minute to 48 hours. */
    static final class WithinConverter implements CommandLine.ITypeConverter<Duration> {
        private static final long MAX_MINUTES = RegulatorQuery.MAX_WINDOW_MINUTES;

        @Override
        public Duration convert(final String value) {
            final String v = value.trim().toLowerCase(Locale.ROOT);
            final long amount;
            final long unitMinutes;
            try {
                if (v.endsWith("h")) {
                    unitMinutes = 60;
                } else if (v.endsWith("m")) {
                    unitMinutes = 1;
                } else {
                    throw new NumberFormatException();
                }
                amount = Long.parseLong(v.substring(0, v.length() - 1));
            } catch (final NumberFormatException e) {
                if (v.matches("[0-9]+[hm]")) { // digits, only too many for a long
                    throw outOfRange(value);
                }
                throw new CommandLine.TypeConversionException("'" + Text.field(value) + "' is not a duration like 48h or 90m");
            }
            // Compared before multiplying: 9223372036854775807m must not overflow into range.
            if (amount <= 0 || amount > MAX_MINUTES / unitMinutes) {
                throw outOfRange(value);
            }
            return Duration.ofMinutes(amount * unitMinutes);
        }

        private static CommandLine.TypeConversionException outOfRange(final String value) {
            return new CommandLine.TypeConversionException("--within must be between 1m and 48h, got " + Text.field(value));
        }
    }

    static final class ModalityConverter implements CommandLine.ITypeConverter<Modality> {
        @Override
        public Modality convert(final String value) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "office":
                    return Modality.OFFICE;
                case "teleconsultation":
                    return Modality.TELECONSULTATION;
                case "home-visit":
                    return Modality.HOME_VISIT;
                default:
                    throw new CommandLine.TypeConversionException(
                        "'" + Text.field(value) + "' is not one of office, teleconsultation, home-visit");
            }
        }
    }

    static final class ProfessionConverter implements CommandLine.ITypeConverter<Profession> {
        @Override
        public Profession convert(final String value) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "gp":
                    return Profession.GP;
                case "nurse":
                    return Profession.NURSE;
                case "midwife":
                    return Profession.MIDWIFE;
                default:
                    throw new CommandLine.TypeConversionException("'" + Text.field(value) + "' is not one of gp, nurse, midwife");
            }
        }
    }

    /** An RPPS: 11 digits with a valid Luhn key. */
    static final class RppsConverter implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(final String value) {
            final String problem = Rpps.problem(value.trim());
            if (problem != null) {
                throw new CommandLine.TypeConversionException(problem);
            }
            return Long.parseLong(value.trim());
        }
    }

    /** A case id, as {@link fr.creneau.booking.CaseRef#checkId} takes it; a usage error otherwise. */
    static String checkCase(final String caseId) {
        try {
            return fr.creneau.booking.CaseRef.checkId(caseId);
        } catch (final IllegalArgumentException e) {
            throw new UserError("--case: " + e.getMessage());
        }
    }

    /**
     * An {@code --operator}: not blank, at most {@link Operator#MAX_FIELD} characters, and nothing a
     * terminal would act on, since it is journaled, sent to the LRM and printed back.
     */
    static void checkOperator(final String operator) {
        if (operator.isBlank()) {
            throw new UserError("--operator must not be blank");
        }
        if (operator.length() > Operator.MAX_FIELD) {
            throw new UserError("--operator must be at most " + Operator.MAX_FIELD + " characters");
        }
        if (operator.codePoints().anyMatch(Text::unsafe)) {
            throw new UserError("--operator must not contain control or format characters: '" + Text.field(operator) + "'");
        }
    }

    /** A {@code --modality} value in the CLI's spelling. */
    static String cli(final Modality m) {
        return m.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
