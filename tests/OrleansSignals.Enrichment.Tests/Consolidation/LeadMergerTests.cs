using System.Text.Json;
using OrleansSignals.Enrichment.Consolidation;

namespace OrleansSignals.Enrichment.Tests.Consolidation;

public sealed class LeadMergerTests
{
    private static readonly UploadedPerson Person = new(7, 2, "Ada", "Lovelace", "ada@old.example", "Engineer", "Old Co", null);
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ProviderResult Result(long id, string provider, int minutes, string json) =>
        new(id, provider, T0.AddMinutes(minutes), JsonDocument.Parse(json).RootElement);

    private static LeadMerger Merger(Dictionary<string, ResponseMapping>? mappings = null) => new(mappings ?? []);

    [Fact]
    public void A_verified_email_beats_a_newer_unverified_one()
    {
        var (lead, _) = Merger().Merge(Person, [
            Result(1, "a", 0, """{"person": {"email": "ada@verified.example", "email_verified": true}}"""),
            Result(2, "b", 5, """{"person": {"email": "ada@newer.example", "email_verified": false}}"""),
        ]);
        Assert.Equal("ada@verified.example", lead.Email);
        Assert.True(lead.EmailVerified);
    }

    [Fact]
    public void Between_equals_the_newer_email_wins_and_the_upload_is_the_oldest()
    {
        var (lead, _) = Merger().Merge(Person, [
            Result(1, "a", 0, """{"person": {"email": "ada@first.example"}}"""),
            Result(2, "b", 5, """{"person": {"email": "ada@second.example", "email_status": "unknown"}}"""),
        ]);
        Assert.Equal("ada@second.example", lead.Email);
        Assert.False(lead.EmailVerified);
        var (uploaded, _) = Merger().Merge(Person, []);
        Assert.Equal("ada@old.example", uploaded.Email);
        Assert.Equal("Old Co", uploaded.Company);
        Assert.Equal("Ada Lovelace", uploaded.FullName);
    }

    [Fact]
    public void Work_history_merges_by_company_and_start_the_newest_version_winning()
    {
        var (lead, history) = Merger().Merge(Person, [
            Result(1, "a", 0, """{"work_history": [{"company": "Stripe, Inc.", "title": "SWE", "start_date": "2018-02", "end_date": "2020-06"}]}"""),
            Result(2, "b", 5, """
                {"work_history": [{"company": "STRIPE INC", "title": "Senior SWE", "start_date": "2018-02-01", "end_date": "2021"},
                                  {"company": "Acme", "title": "CTO", "start_date": "2021-03", "end_date": null}]}
                """),
        ]);
        Assert.Equal(2, history.Count);
        Assert.Equal(("acme", true, 1), (history[0].CompanyNameNormalized, history[0].IsCurrent, history[0].Ordinal));
        Assert.Equal(("stripe", "Senior SWE", new DateOnly(2021, 1, 1), false), (history[1].CompanyNameNormalized, history[1].Title, history[1].EndDate, history[1].IsCurrent));
        Assert.Equal("Acme", lead.Company);
    }

    [Fact]
    public void Former_means_ended_and_not_there_now()
    {
        var (_, history) = Merger().Merge(Person with { Company = null }, [Result(1, "a", 0, """
            {"person": {"company": "Initech"},
             "work_history": [{"company": "Stripe", "start_date": "2014", "end_date": "2017"},
                              {"company": "Stripe, Inc.", "start_date": "2022"},
                              {"company": "Globex", "start_date": "2010", "end_date": "2013"},
                              {"company": "INITECH LLC", "start_date": "2005", "end_date": "2008"},
                              {"company": "Initech", "start_date": "2023", "end_date": "present"}]}
            """)]);
        var former = history.Where(e => e.Former).Select(e => e.CompanyNameNormalized).ToArray();
        // Stripe: came back (open stint); Initech: the current company; only Globex is a former employer.
        Assert.Equal(["globex"], former);
    }

    [Fact]
    public void The_same_results_give_the_same_lead()
    {
        ProviderResult[] results = [
            Result(1, "a", 0, """{"person": {"name": "Ada L", "title": "CTO"}, "work_history": [{"company": "X", "start_date": "2019"}, {"company": "Y"}]}"""),
            Result(2, "b", 0, """{"person": {"title": "VP"}, "extra": {"score": 3}}"""),
        ];
        var first = Merger().Merge(Person, results);
        var second = Merger().Merge(Person, results);
        Assert.Equal(first.Lead, second.Lead);
        Assert.Equal(first.History, second.History);
        Assert.Equal("VP", first.Lead.Title);
    }

    [Fact]
    public void Unmapped_paths_are_counted_per_provider_and_a_custom_mapping_reads_them()
    {
        var changed = Result(1, "people", 0, """{"data": {"email_address": "ada@new.example", "verified": true}, "positions": [{"org": "Stripe", "from": "2017", "to": "2019"}]}""");
        var merger = Merger();
        var (lead, history) = merger.Merge(Person, [changed]);
        Assert.Equal("ada@old.example", lead.Email);
        Assert.Empty(history);
        Assert.Equal(1, merger.Unmapped[("people", "data.email_address")]);
        Assert.Equal(1, merger.Unmapped[("people", "positions[].org")]);

        var (mapping, errors) = ResponseMapping.Parse(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""
            {"email": ["person.email", "data.email_address"], "email_verified": ["person.email_verified", "data.verified"],
             "work_history": ["work_history", "positions"], "work_history.company": ["company", "org"],
             "work_history.start_date": ["start_date", "from"], "work_history.end_date": ["end_date", "to"]}
            """));
        Assert.Empty(errors);
        var remapped = Merger(new() { ["people"] = new ResponseMapping(mapping) });
        var (lead2, history2) = remapped.Merge(Person, [changed]);
        Assert.Equal(("ada@new.example", true), (lead2.Email, lead2.EmailVerified));
        Assert.Equal(("stripe", new DateOnly(2019, 1, 1)), (history2.Single().CompanyNameNormalized, history2.Single().EndDate));
        Assert.Empty(remapped.Unmapped);
    }

    [Fact]
    public void A_date_that_is_not_a_date_is_reported_not_fatal()
    {
        var merger = Merger();
        var (_, history) = merger.Merge(Person, [Result(1, "a", 0, """{"work_history": [{"company": "Stripe", "start_date": "last spring", "end_date": "2020"}]}""")]);
        Assert.Null(history.Single().StartDate);
        Assert.Equal(1, merger.Invalid[("a", "work_history[].start_date")]);
    }

    [Fact]
    public void Bad_mappings_name_the_field()
    {
        var (_, errors) = ResponseMapping.Parse(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>("""{"emial": "x", "email": 3, "title": "a..b"}"""));
        Assert.Equal(["mapping.email", "mapping.emial", "mapping.title"], errors.Select(e => e.Field).Order().ToArray());
    }
}
