-- What a Créneau host needs to come back from the database alone (the BookingStore seam):
-- the hold's facts as the journal encodes them (practitioner's public directory data, operator,
-- case id; never the patient), the outcomes of rows per case, and which host delivers a message.
ALTER TABLE creneau_claim ADD COLUMN hold_record bytea;

ALTER TABLE creneau_outbox ADD COLUMN host text;
ALTER TABLE creneau_outbox ADD COLUMN case_id text;
CREATE INDEX creneau_outbox_host_pending ON creneau_outbox (host, seq) WHERE acked_at IS NULL;

-- Outcomes of rows shown for a case (declined, no answer, accepted, fulfilled, no-show, ...): one
-- row each, the journal's encoding of the record; read back within the retention at start.
CREATE TABLE creneau_outcome (
    seq     bigserial   PRIMARY KEY,
    at      timestamptz NOT NULL,
    host    text        NOT NULL,
    case_id text        NOT NULL,
    record  bytea       NOT NULL
);

CREATE INDEX creneau_outcome_at ON creneau_outcome (at);
