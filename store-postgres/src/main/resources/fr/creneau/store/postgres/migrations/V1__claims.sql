-- Holds and bookings: one row per claim on a slot. The partial unique index is the whole
-- guarantee that a slot is never given twice: at most one standing (not ENDED) claim per slot
-- identity, whatever the hosts' indexes show.
CREATE TABLE creneau_claim (
    token        uuid        PRIMARY KEY,
    source       text        NOT NULL,
    rpps         bigint      NOT NULL,
    start_minute integer     NOT NULL,
    state        text        NOT NULL CHECK (state IN ('HELD', 'CONFIRMING', 'BOOKED', 'CANCELLING', 'ENDED')),
    held_at      timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    operator_id  text        NOT NULL,
    case_id      text,
    host         text        NOT NULL,
    booking_ref  text,
    ended_at     timestamptz,
    ended_as     text,
    changed_at   timestamptz NOT NULL
);

CREATE UNIQUE INDEX creneau_claim_standing
    ON creneau_claim (source, rpps, start_minute) WHERE state <> 'ENDED';

CREATE INDEX creneau_claim_changed ON creneau_claim (changed_at);

-- Messages to the LRM (RS-SAS-RDV), written in the transaction of the change they announce and
-- deleted never: acked_at marks delivery. The id is the message's stable distribution id.
CREATE TABLE creneau_outbox (
    seq        bigserial   PRIMARY KEY,
    id         text        NOT NULL UNIQUE,
    token      uuid,
    kind       text        NOT NULL,
    payload    text        NOT NULL,
    created_at timestamptz NOT NULL,
    acked_at   timestamptz,
    attempts   integer     NOT NULL DEFAULT 0
);

CREATE INDEX creneau_outbox_pending ON creneau_outbox (seq) WHERE acked_at IS NULL;

-- Append-only audit of every hold, confirm, release, expiry, outcome and message.
CREATE TABLE creneau_audit (
    seq         bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL,
    event       text        NOT NULL,
    token       uuid,
    case_id     text,
    operator_id text,
    row_kind    text,
    rpps        bigint,
    structure   text,
    detail      text
);
