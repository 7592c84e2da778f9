-- GET /api/accounts/{id}/events: an account's raw events newest first, in keyset pages of
-- (occurred_at, event_id), optionally within since/until. One index on the partitioned table (one per
-- monthly partition); the journal's index is in position order, which is arrival, not event time.
CREATE INDEX events_account_time ON events (workspace_id, account_id, occurred_at, event_id);
