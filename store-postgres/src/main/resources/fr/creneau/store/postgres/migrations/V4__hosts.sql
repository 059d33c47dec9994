-- When each host last showed it was alive (its claim feed writes the database's time here every
-- few seconds), so that the messages of a host gone silent are delivered by another instead of
-- waiting for it in creneau_outbox forever. A host is known by the id it writes on its claims and
-- messages.
CREATE TABLE creneau_hosts (
    host    text        PRIMARY KEY,
    seen_at timestamptz NOT NULL
);
