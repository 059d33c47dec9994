-- Each outcome's own id, so that a commit whose answer was lost is read back by it (as a claim is
-- by its token) instead of being recorded again by a retry. Rows written before this have none
-- (a unique index admits any number of NULLs).
ALTER TABLE creneau_outcome ADD COLUMN outcome_id uuid;
CREATE UNIQUE INDEX creneau_outcome_id ON creneau_outcome (outcome_id);
