-- Account state becomes a checkpoint of each account's journal (the events table) plus the position it
-- covers; see docs/decisions.md ("Account state: a journal and checkpoints").

-- Idempotency by (workspace, event_id) whatever the timestamp. The events table is partitioned by time,
-- so its own keys must include occurred_at and could not refuse the same id sent with two timestamps.
CREATE TABLE event_ids (
    workspace_id  text NOT NULL,
    event_id      text NOT NULL,
    PRIMARY KEY (workspace_id, event_id)
);
INSERT INTO event_ids (workspace_id, event_id) SELECT DISTINCT workspace_id, event_id FROM events ON CONFLICT DO NOTHING;

-- The last position appended to each account's journal. An append locks the account's row (accounts in
-- key order, so appends never deadlock) until it commits: an account's positions commit in order, and a
-- grain that sees position p knows every position before p is already stored.
-- appended_at: when head last moved; the reminder catches up accounts whose checkpoint stays behind it.
CREATE TABLE account_journal (
    workspace_id  text NOT NULL,
    account_id    text NOT NULL,
    head          bigint NOT NULL,
    appended_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, account_id)
);

-- An event's place in its account's journal (NULL for events stored before journals: checkpoints written
-- before this migration already cover them), and the first position of the turn it was applied in (one
-- request's events of one account), so a replay groups turns exactly as they ran. received_at is the
-- request's time, the clock its turn ran on.
ALTER TABLE events ADD COLUMN position bigint, ADD COLUMN turn bigint;
ALTER TABLE events DROP CONSTRAINT events_pkey;
CREATE INDEX events_journal ON events (workspace_id, account_id, position) WHERE position IS NOT NULL;
-- The events export reads one workspace's events by time (the key above led with workspace_id).
CREATE INDEX events_workspace_time ON events (workspace_id, occurred_at);

-- The checkpoint: the state covers the account's journal up to position.
ALTER TABLE accounts ADD COLUMN position bigint NOT NULL DEFAULT 0;
CREATE INDEX accounts_workspace_due ON accounts (workspace_id, next_due_at) WHERE next_due_at IS NOT NULL;
DROP INDEX accounts_next_due;
