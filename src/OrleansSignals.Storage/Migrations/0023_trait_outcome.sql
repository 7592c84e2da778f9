-- A scoring outcome may be a trait reaching a value (docs/signals.md, "Score"). Its date comes from trait_changes: one row
-- per trait whose value a traits turn changed, written in the transaction of that turn's checkpoint. Traits set before
-- this migration have no row (no date), so they never count as reached.
CREATE TABLE trait_changes (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id  text NOT NULL,
    account_id    text NOT NULL,
    name          text NOT NULL,
    old_value     jsonb,           -- null: the trait was not set
    value         jsonb,           -- null: the trait was removed
    changed_at    timestamptz NOT NULL
);
CREATE INDEX trait_changes_scoring ON trait_changes (workspace_id, name, changed_at);

-- Exactly one of outcome_event and outcome_trait ({"name": ..., and one of "equals", "gte", "lte"}).
ALTER TABLE signal_scoring ALTER COLUMN outcome_event DROP NOT NULL,
    ADD COLUMN outcome_trait jsonb,
    ADD CONSTRAINT signal_scoring_one_outcome CHECK (num_nonnulls(outcome_event, outcome_trait) = 1);

ALTER TABLE signal_aggregates ADD COLUMN outcome_trait jsonb;
