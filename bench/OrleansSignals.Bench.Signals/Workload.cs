using OrleansSignals.Signals.Definitions;

namespace OrleansSignals.Bench.Signals;

/// <summary>The 20 definitions of the benchmark: what a workspace would define, and what an agent would propose.</summary>
public static class Workload
{
    public const string OutcomeEvent = "upgraded";

    private static SignalDefinition Events(string type, string ev, string op, double value, int days, string level = "account") =>
        new(type, type, "events", ev, op, value, days, level, true, "customer");

    private static SignalDefinition Candidate(string type, string ev, string op, double value, int days, string level = "account") =>
        new(type, type, "events", ev, op, value, days, level, false, "agent");

    /// <summary>17 active (11 account-level and 4 person-level event counts, 2 insight triggers) and 3 agent candidates.</summary>
    public static readonly SignalDefinition[] Definitions =
    [
        Events("exports_week", "export", "gte", 3, 7),
        Events("api_heavy_month", "api_call", "gte", 50, 30),
        Events("logged_in_today", "login", "gte", 1, 1),
        Events("searcher_fortnight", "search", "gte", 20, 14),
        Events("inviter_month", "invite_sent", "gte", 2, 30),
        Events("dashboards_quarter", "dashboard_created", "gte", 5, 90),
        Events("integration_week", "integration_connected", "gte", 1, 7),
        Events("billing_looks", "billing_viewed", "gte", 2, 14),
        Events("no_login_month", "login", "lt", 1, 30),
        Events("page_views_quarter", "page_view", "gt", 500, 90),
        Events("one_ticket_month", "support_ticket", "eq", 1, 30),
        Events("person_power_week", "feature_used", "gte", 20, 7, "person"),
        Events("person_exporter", "export", "gte", 2, 14, "person"),
        Events("person_regular_quarter", "login", "gte", 30, 90, "person"),
        Events("person_gone_quiet", "login", "lt", 1, 14, "person"),
        new("insight_power_user", "insight_power_user", "insight", "power_user", "gte", 1, 7, "account", true, "customer"),
        new("insight_at_risk", "insight_at_risk", "insight", "at_risk", "gte", 1, 7, "account", true, "customer"),
        Candidate("candidate_reports", "report_viewed", "gte", 10, 30),
        Candidate("candidate_commenter", "comment_added", "gte", 5, 14, "person"),
        Candidate("candidate_api_any", "api_call", "neq", 0, 7),
    ];
}
