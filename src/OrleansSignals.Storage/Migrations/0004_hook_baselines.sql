-- Health thresholds on hooks (health_drop_gte / health_rise_gte) are measured from a baseline per endpoint
-- and account, not per recorded transition: the grain records a move only once it reaches the health
-- model's min_change, so a slow slide (four drops of 5) would otherwise never cross a 15-point threshold.
-- The baseline is the score last sent to the endpoint for the account (or the first score the router saw);
-- it follows moves in a direction the endpoint does not watch. Written by the fan-out, in its transaction.
-- See docs/hooks.md, "Filters and thresholds".
CREATE TABLE webhook_health_baselines (
    endpoint_id  uuid NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    account_id   text NOT NULL,
    score        int NOT NULL,
    updated_at   timestamptz NOT NULL,
    PRIMARY KEY (endpoint_id, account_id)
);
