-- What PostHog answered to a `posthog` signal definition's HogQL query in a run, stored as it came (audit first,
-- then project): rows [account_id, distinct_id, n] from every page. The run's occurrences of that definition are
-- projected from them in the same transaction; a run resumed after a crash asks again (nothing was stored).
CREATE TABLE posthog_results (
    run_id        uuid NOT NULL REFERENCES pipeline_runs (id) ON DELETE CASCADE,
    type          text NOT NULL,
    workspace_id  text NOT NULL,
    query         text NOT NULL,
    query_values  jsonb NOT NULL,
    results       jsonb NOT NULL,
    pages         int NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, type)
);
