-- Workspaces, keys, grain state, events, history and outbox.

CREATE TABLE workspaces (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Keys are random 32-byte secrets, so a plain SHA-256 is enough to store them (no password stretching needed).
CREATE TABLE api_keys (
    key_hash      bytea PRIMARY KEY,
    workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    prefix        text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);

-- IWorkspaceGrain state: definitions, health model, lifecycle events.
CREATE TABLE workspace_state (
    workspace_id    text PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    etag            bigint NOT NULL,
    config_version  bigint NOT NULL,
    state           jsonb NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- IAccountGrain state. health_score, active_insights and next_due_at are copies of what the state
-- says, kept as columns for list queries and for the reminder that re-evaluates due accounts.
CREATE TABLE accounts (
    workspace_id     text NOT NULL,
    account_id       text NOT NULL,
    etag             bigint NOT NULL,
    state            jsonb NOT NULL,
    health_score     int NOT NULL,
    active_insights  text[] NOT NULL DEFAULT '{}',
    config_version   bigint NOT NULL,
    next_due_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, account_id)
) WITH (fillfactor = 70);  -- room on each page for in-place (HOT) updates
CREATE INDEX accounts_next_due ON accounts (next_due_at) WHERE next_due_at IS NOT NULL;
CREATE INDEX accounts_active_insights ON accounts USING gin (active_insights);

-- Events as they came, append-only, one partition per month of occurred_at (created on demand).
-- Idempotent by (workspace_id, event_id): the API checks ids across partitions before storing;
-- the key below also catches an exact replay racing with the original.
CREATE TABLE events (
    workspace_id  text NOT NULL,
    event_id      text NOT NULL,
    account_id    text NOT NULL,
    person_id     text,
    event         text NOT NULL,
    occurred_at   timestamptz NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    properties    jsonb,
    PRIMARY KEY (workspace_id, event_id, occurred_at)
) PARTITION BY RANGE (occurred_at);

-- Every transition, once, with the id hooks and exports carry. Monthly partitions of occurred_at.
CREATE TABLE history (
    id            uuid NOT NULL,
    workspace_id  text NOT NULL,
    account_id    text NOT NULL,
    occurred_at   timestamptz NOT NULL,
    type          text NOT NULL,
    key           text,
    old_value     text,
    new_value     text,
    health_score  int,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);
CREATE INDEX history_account ON history (workspace_id, account_id, occurred_at DESC, id DESC);

-- What waits for delivery; the hook dispatcher claims rows with FOR UPDATE SKIP LOCKED.
-- Account transitions carry their details in history (joined on transition_id = history.id, data
-- NULL); events that are not account transitions (export.completed, webhook.test, ...) have no
-- account and carry their payload in data. transition_id is the id hooks send as webhook-id.
CREATE TABLE outbox (
    seq            bigserial PRIMARY KEY,
    transition_id  uuid NOT NULL,
    workspace_id   text NOT NULL,
    account_id     text,
    type           text NOT NULL,
    occurred_at    timestamptz NOT NULL,
    data           jsonb,
    created_at     timestamptz NOT NULL DEFAULT now()
);
