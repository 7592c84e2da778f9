-- The daily signal pipeline (docs/signals.md): definitions, occurrences, delivery configs and their per-occurrence
-- status, and the runs of each workspace's pipeline, step by step.

CREATE TABLE signal_definitions (
    workspace_id        text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    type                text NOT NULL,
    name                text NOT NULL,
    source              text NOT NULL,
    event_name          text,
    condition_operator  text NOT NULL,
    condition_value     double precision NOT NULL,
    time_window_days    int NOT NULL,
    level               text NOT NULL,
    is_active           boolean NOT NULL,
    origin              text NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, type)
);

-- One row per occurrence. dedup_key = type, subject (account, or account and person) and the window period the run's
-- cutoff falls in: a rerun or a concurrent run of the same period can never store the subject twice.
CREATE TABLE signals (
    id            uuid PRIMARY KEY,
    workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    type          text NOT NULL,
    account_id    text NOT NULL,
    person_id     text,
    value         double precision NOT NULL,
    detected_at   timestamptz NOT NULL,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    run_id        uuid NOT NULL,
    dedup_key     text NOT NULL,
    UNIQUE (workspace_id, dedup_key)
);
CREATE INDEX signals_workspace_time ON signals (workspace_id, detected_at DESC, id DESC);
CREATE INDEX signals_subject ON signals (workspace_id, type, account_id, detected_at);
CREATE INDEX signals_run ON signals (run_id);

CREATE TABLE signal_delivery_configs (
    id                  uuid PRIMARY KEY,
    workspace_id        text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    signal_type         text NOT NULL,
    destination_type    text NOT NULL,
    destination_config  jsonb NOT NULL,
    is_active           boolean NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, signal_type, destination_type)
);

-- Per occurrence and destination: pending until delivered, failed (why, after how many attempts) or skipped (why).
-- config_id has no foreign key: deleting a config keeps the record of what it delivered.
CREATE TABLE signal_deliveries (
    signal_id         uuid NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
    config_id         uuid NOT NULL,
    workspace_id      text NOT NULL,
    run_id            uuid NOT NULL,
    destination_type  text NOT NULL,
    destination       text NOT NULL,
    status            text NOT NULL,
    attempts          int NOT NULL DEFAULT 0,
    delivered_at      timestamptz,
    error             text,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (signal_id, config_id)
);
CREATE INDEX signal_deliveries_run ON signal_deliveries (run_id, status);

-- Credentials of the vendors a workspace delivers to (attio, posthog).
CREATE TABLE workspace_integrations (
    workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    vendor        text NOT NULL,
    settings      jsonb NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, vendor)
);

-- When a workspace's daily run is due: a local time of day in an IANA time zone. No row: 06:00 UTC.
CREATE TABLE pipeline_schedules (
    workspace_id  text PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    time_of_day   time NOT NULL,
    time_zone     text NOT NULL,
    enabled       boolean NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- run_key: 'scheduled:<local date>' (one per workspace and day, whichever silo asks first) or 'manual:<id>'.
-- At most one run of a workspace is running at a time (the partial unique index); a lease says which host runs it.
CREATE TABLE pipeline_runs (
    id            uuid PRIMARY KEY,
    workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    run_key       text NOT NULL,
    trigger       text NOT NULL,
    status        text NOT NULL,
    as_of         timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    finished_at   timestamptz,
    attempts      int NOT NULL DEFAULT 0,
    leased_until  timestamptz,
    error         text,
    UNIQUE (workspace_id, run_key)
);
CREATE UNIQUE INDEX pipeline_runs_one_running ON pipeline_runs (workspace_id) WHERE status = 'running';
CREATE INDEX pipeline_runs_workspace ON pipeline_runs (workspace_id, created_at DESC);

-- The steps of a run in order; a step's row turns completed in the transaction that stores its last work.
CREATE TABLE pipeline_run_steps (
    run_id       uuid NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    step         text NOT NULL,
    ordinal      int NOT NULL,
    status       text NOT NULL,
    counts       jsonb NOT NULL DEFAULT '{}',
    started_at   timestamptz,
    finished_at  timestamptz,
    duration_ms  bigint NOT NULL DEFAULT 0,
    error        text,
    PRIMARY KEY (run_id, step)
);

-- Checkpoints inside the evaluate step: one row per definition, written in the transaction that stores its occurrences.
CREATE TABLE pipeline_run_definitions (
    run_id       uuid NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    type         text NOT NULL,
    status       text NOT NULL,
    matched      int NOT NULL DEFAULT 0,
    stored       int NOT NULL DEFAULT 0,
    duration_ms  bigint NOT NULL DEFAULT 0,
    error        text,
    PRIMARY KEY (run_id, type)
);
