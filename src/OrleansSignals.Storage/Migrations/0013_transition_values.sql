-- One shape for a transition's values (docs/decisions.md, "Transition values"): history stores old_value and
-- new_value as JSON typed by the transition's type, so the history API, exports and hooks read the same
-- types: booleans for insight.triggered / insight.resolved, integers for health_score.changed, ISO 8601
-- strings for lifecycle.event. signals_transition_value is the one place that maps a transition's text
-- value to its JSON; every writer of history calls it. The ALTER rewrites history once (typed as before:
-- insights were "true"/"false", health scores decimal text).
CREATE FUNCTION signals_transition_value(type text, value text) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN value IS NULL THEN NULL
        WHEN type IN ('insight.triggered', 'insight.resolved') THEN to_jsonb(value::boolean)
        WHEN type = 'health_score.changed' THEN to_jsonb(value::int)
        ELSE to_jsonb(value)
    END
$$;

ALTER TABLE history
    ALTER COLUMN old_value TYPE jsonb USING signals_transition_value(type, old_value),
    ALTER COLUMN new_value TYPE jsonb USING signals_transition_value(type, new_value);
