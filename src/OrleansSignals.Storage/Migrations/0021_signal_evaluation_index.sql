-- The signal pipeline counts one event name per subject over a window (docs/signals.md, "Define a signal"), and scores
-- against an outcome event (docs/benchmarks.md, "Signal pipeline"). Without this index each definition read every
-- event of the workspace in its window; with it, only the rows of its event name, from the index alone (account and
-- person are included). Costs ingest one more index entry per event; measured in docs/benchmarks.md.
CREATE INDEX events_workspace_event_time ON events (workspace_id, event, occurred_at) INCLUDE (account_id, person_id);
