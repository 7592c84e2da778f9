-- Exports (issue 4): runs, schedules and the periods schedules have run for.

-- One export run. A worker claims a pending run (or a running one whose lease has expired: its host
-- died) with FOR UPDATE SKIP LOCKED, renews the lease while it reports progress, and marks it
-- completed together with the export.completed outbox row, in one transaction.
CREATE TABLE export_runs (
    id              uuid PRIMARY KEY,
    workspace_id    text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    schedule_id     uuid,
    dataset         text NOT NULL,
    format          text NOT NULL,
    compression     text NOT NULL,
    destination     jsonb NOT NULL,
    traits          text[] NOT NULL DEFAULT '{}',
    range_from      timestamptz,
    range_to        timestamptz,
    partition_date  date NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'completed', 'failed')),
    attempts        int NOT NULL DEFAULT 0,
    lease_owner     text,
    lease_until     timestamptz,
    rows            bigint NOT NULL DEFAULT 0,
    bytes           bigint NOT NULL DEFAULT 0,
    progress        double precision NOT NULL DEFAULT 0,
    files           jsonb NOT NULL DEFAULT '[]',
    manifest        text,
    error           text,
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    completed_at    timestamptz
);
CREATE INDEX export_runs_workspace ON export_runs (workspace_id, created_at DESC, id DESC);
CREATE INDEX export_runs_open ON export_runs (created_at) WHERE status IN ('pending', 'running');

CREATE TABLE export_schedules (
    id            uuid PRIMARY KEY,
    workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    dataset       text NOT NULL,
    format        text NOT NULL,
    compression   text NOT NULL,
    destination   jsonb NOT NULL,
    traits        text[] NOT NULL DEFAULT '{}',
    cadence       text NOT NULL CHECK (cadence IN ('daily', 'weekly', 'monthly')),
    at_time       time NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX export_schedules_workspace ON export_schedules (workspace_id, created_at);

-- Exactly one run per schedule and period, whichever host notices the period first: the run and
-- this row are inserted in one transaction, and the key makes the second host's insert a no-op.
CREATE TABLE export_schedule_periods (
    schedule_id   uuid NOT NULL REFERENCES export_schedules (id) ON DELETE CASCADE,
    period_start  timestamptz NOT NULL,
    run_id        uuid NOT NULL,
    PRIMARY KEY (schedule_id, period_start)
);
