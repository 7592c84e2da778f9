-- PostHog is asked twice for a `posthog` definition in a run: by evaluate (the window up to the cutoff) and by score
-- (the window ending outcome_days before it). Each answer is kept, keyed by the step that asked.
ALTER TABLE posthog_results ADD COLUMN step text NOT NULL DEFAULT 'evaluate' CHECK (step IN ('evaluate', 'score'));
ALTER TABLE posthog_results ALTER COLUMN step DROP DEFAULT;
ALTER TABLE posthog_results DROP CONSTRAINT posthog_results_pkey, ADD PRIMARY KEY (run_id, type, step);
