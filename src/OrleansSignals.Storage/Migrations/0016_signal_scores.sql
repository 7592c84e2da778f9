-- Scoring of signal definitions (docs/signals.md, "Score"): what converts, per run and definition, and the
-- promotions of agent candidates with the statistics that promoted them.

-- The outcome a workspace scores its signals against: an event reached within outcome_days. No row: no conversion.
CREATE TABLE signal_scoring (
    workspace_id   text PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    outcome_event  text NOT NULL,
    outcome_days   int NOT NULL,
    min_support    int NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE signal_aggregates (
    run_id             uuid NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    workspace_id       text NOT NULL,
    type               text NOT NULL,
    as_of              timestamptz NOT NULL,
    outcome_event      text,
    outcome_days       int,
    matched            int NOT NULL,
    matched_converted  int,
    rest               int,
    rest_converted     int,
    lift               double precision,
    lift_low           double precision,
    lift_high          double precision,
    z                  double precision,
    p_value            double precision,
    error              text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, type)
);
CREATE INDEX signal_aggregates_workspace ON signal_aggregates (workspace_id, type, as_of DESC);

CREATE TABLE signal_promotions (
    workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    type          text NOT NULL,
    run_id        uuid NOT NULL,
    promoted_at   timestamptz NOT NULL DEFAULT now(),
    matched       int NOT NULL,
    lift          double precision NOT NULL,
    z             double precision NOT NULL,
    p_value       double precision NOT NULL,
    PRIMARY KEY (workspace_id, type)
);
