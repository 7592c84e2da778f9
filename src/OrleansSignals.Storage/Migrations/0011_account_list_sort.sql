-- GET /api/accounts?sort=health_score / -health_score: keyset pages in (health_score, account_id) order,
-- read forwards or backwards. No index for sort=updated_at: updated_at changes on every checkpoint, and an
-- index on it would make every checkpoint update a non-HOT update (see docs/decisions.md, "Account lists").
CREATE INDEX accounts_workspace_health ON accounts (workspace_id, health_score, account_id);
