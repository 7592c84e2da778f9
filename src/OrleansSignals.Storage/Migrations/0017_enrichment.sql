-- Enrichment batches (issue 14): audit first, then project.
-- Execution writes raw_uploads, batch_items, workflow_states and enrichment_results (immutable);
-- consolidation projects them into final_leads and person_work_history, which can be rebuilt at any time.

CREATE TABLE enrichment_providers (
    workspace_id           text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name                   text NOT NULL,
    url                    text NOT NULL,
    method                 text NOT NULL,
    -- Header name -> AES-GCM sealed value (base64); never returned by the API.
    headers                jsonb NOT NULL DEFAULT '{}',
    rate_limit_per_minute  int NOT NULL,
    concurrency            int NOT NULL,
    timeout_ms             int NOT NULL,
    -- Field -> JSON paths (first that matches wins); null means the default shape.
    mapping                jsonb,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, name)
);

CREATE TABLE enrichment_batches (
    id               uuid PRIMARY KEY,
    workspace_id     text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    status           text NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
    steps            text[] NOT NULL,
    -- Column -> CSV header, as applied to every row at upload.
    mapping          jsonb NOT NULL,
    item_count       int NOT NULL,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    consolidated_at  timestamptz,
    consolidation    jsonb
);
CREATE INDEX enrichment_batches_workspace ON enrichment_batches (workspace_id, created_at DESC);

-- The uploaded file byte for byte.
CREATE TABLE raw_uploads (
    batch_id      uuid PRIMARY KEY REFERENCES enrichment_batches (id) ON DELETE CASCADE,
    workspace_id  text NOT NULL,
    file_name     text,
    size_bytes    bigint NOT NULL,
    sha256        bytea NOT NULL,
    header        text[] NOT NULL,
    content       bytea NOT NULL,
    uploaded_at   timestamptz NOT NULL DEFAULT now()
);

-- One per data row of the upload: the cells as they were (full fidelity, in order) and the mapped fields.
CREATE TABLE batch_items (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    batch_id      uuid NOT NULL REFERENCES enrichment_batches (id) ON DELETE CASCADE,
    workspace_id  text NOT NULL,
    line          int NOT NULL,
    cells         text[] NOT NULL,
    first_name    text,
    last_name     text,
    email         text,
    title         text,
    company       text,
    linkedin_url  text,
    website       text,
    UNIQUE (batch_id, line)
);

-- Per item and step: whether it ran and how it ended. Steps are numbered from 1 in the batch's order.
CREATE TABLE workflow_states (
    batch_item_id  bigint NOT NULL REFERENCES batch_items (id) ON DELETE CASCADE,
    step           int NOT NULL,
    batch_id       uuid NOT NULL,
    status         text NOT NULL CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled')),
    attempts       int NOT NULL DEFAULT 0,
    last_http_status int,
    error          text,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_item_id, step)
);
CREATE INDEX workflow_states_open ON workflow_states (batch_id, step, batch_item_id) WHERE status IN ('pending', 'running');
CREATE INDEX workflow_states_batch ON workflow_states (batch_id, status);

-- The audit log: every attempt, as it came back. Rows are never updated.
CREATE TABLE enrichment_results (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id   text NOT NULL,
    batch_id       uuid NOT NULL,
    batch_item_id  bigint NOT NULL REFERENCES batch_items (id) ON DELETE CASCADE,
    step           int NOT NULL,
    provider       text NOT NULL,
    attempt        int NOT NULL,
    status         text NOT NULL CHECK (status IN ('succeeded', 'retrying', 'failed')),
    http_status    int,
    json_payload   jsonb,
    error          text,
    duration_ms    int NOT NULL,
    received_at    timestamptz NOT NULL,
    UNIQUE (batch_item_id, step, attempt)
);
CREATE INDEX enrichment_results_batch ON enrichment_results (batch_id, id);

CREATE FUNCTION enrichment_results_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'enrichment_results rows are immutable';
END $$;
CREATE TRIGGER enrichment_results_no_update BEFORE UPDATE ON enrichment_results
    FOR EACH ROW EXECUTE FUNCTION enrichment_results_immutable();
