-- Hooks: endpoints, one message per (endpoint, transition), every attempt, usage, operational events.
-- See docs/hooks.md.

-- The fan-out cursor. A row is marked in the same transaction that creates its messages, so a crash
-- either leaves both undone or both done; marked rows are pruned after Signals:Hooks:OutboxRetention.
-- (Marking rather than deleting keeps the outbox readable for a while, for operators and tests.)
ALTER TABLE outbox ADD COLUMN dispatched_at timestamptz;
CREATE INDEX outbox_undispatched ON outbox (seq) WHERE dispatched_at IS NULL;
CREATE INDEX outbox_dispatched ON outbox (dispatched_at) WHERE dispatched_at IS NOT NULL;

-- Wakes every dispatcher (LISTEN signals_outbox) when a transaction that wrote outbox rows commits;
-- NOTIFY is delivered at commit and identical payloads within one transaction fold into one.
CREATE FUNCTION signals_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('signals_outbox', '');
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION signals_outbox_notify();

CREATE TABLE webhook_endpoints (
    id                          uuid PRIMARY KEY,
    workspace_id                text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    url                         text NOT NULL,
    description                 text,
    event_types                 text[] NOT NULL,
    filters                     jsonb,
    headers                     jsonb,
    rate_limit_per_second       int,
    format                      text NOT NULL DEFAULT 'standard',
    ordered                     boolean NOT NULL DEFAULT false,
    -- Kept in clear: the dispatcher needs it to sign. previous_secret still signs until it expires.
    secret                      text NOT NULL,
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    disabled_at                 timestamptz,
    disabled_reason             text,
    -- Failure bookkeeping, written by the dispatcher: reset by any 2xx.
    consecutive_failures        int NOT NULL DEFAULT 0,
    failing_since               timestamptz,
    circuit_open_until          timestamptz,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id, created_at);

-- One row per endpoint per event; id is the delivery id, event_id the webhook-id (the transition id).
-- While a host delivers a message, next_attempt_at is its lease: a host that dies mid-delivery leaves
-- the row pending and due again when the lease ends, so another host picks it up.
CREATE TABLE webhook_messages (
    id               uuid PRIMARY KEY,
    endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    workspace_id     text NOT NULL,
    event_id         uuid NOT NULL,
    type             text NOT NULL,
    account_id       text,
    seq              bigint NOT NULL,             -- outbox order: per-account order for ordered endpoints
    payload          text NOT NULL,               -- the envelope, byte for byte what is signed and sent
    event_at         timestamptz NOT NULL,        -- when the outbox row was written (latency is measured from here)
    created_at       timestamptz NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts         int NOT NULL DEFAULT 0,      -- attempts of the current schedule (a manual retry restarts it)
    next_attempt_at  timestamptz,
    last_attempt_at  timestamptz,
    last_error       text,
    delivered_at     timestamptz,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_messages_due ON webhook_messages (endpoint_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_messages_ordered ON webhook_messages (endpoint_id, account_id, seq) WHERE status = 'pending';
CREATE INDEX webhook_messages_recent ON webhook_messages (endpoint_id, created_at DESC, id);
CREATE INDEX webhook_messages_dead ON webhook_messages (endpoint_id, last_attempt_at DESC) WHERE status = 'dead';

CREATE TABLE webhook_attempts (
    id                bigserial PRIMARY KEY,
    message_id        uuid NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
    attempted_at      timestamptz NOT NULL,
    status_code       int,
    latency_ms        int NOT NULL,
    error             text,
    response_excerpt  text
);
CREATE INDEX webhook_attempts_message ON webhook_attempts (message_id, attempted_at);

-- Delivered messages per workspace per UTC day, for usage-based pricing.
CREATE TABLE usage_daily (
    workspace_id  text NOT NULL,
    day           date NOT NULL,
    delivered     bigint NOT NULL,
    PRIMARY KEY (workspace_id, day)
);

-- What the platform tells a workspace about itself (an endpoint disabled, ...).
CREATE TABLE operational_events (
    id            bigserial PRIMARY KEY,
    workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    type          text NOT NULL,
    data          jsonb NOT NULL,
    occurred_at   timestamptz NOT NULL
);
CREATE INDEX operational_events_workspace ON operational_events (workspace_id, occurred_at DESC);
