using OrleansSignals.Enrichment.Consolidation;

namespace OrleansSignals.Enrichment.Tests.Consolidation;

public sealed class CompanyNameTests
{
    [Theory]
    [InlineData("Stripe, Inc.")]
    [InlineData("stripe")]
    [InlineData("STRIPE INC")]
    [InlineData("Stripe Inc")]
    [InlineData("  Stripe,  Incorporated ")]
    [InlineData("The Stripe Company")]
    public void Spellings_of_one_company_meet(string spelling) => Assert.Equal("stripe", CompanyName.Normalize(spelling));

    [Fact]
    public void Different_companies_stay_apart()
    {
        Assert.Equal("acmelabs", CompanyName.Normalize("Acme Labs, LLC"));
        Assert.Equal("acmelabs", CompanyName.Normalize("AcmeLabs"));
        Assert.Equal("johnsonandjohnson", CompanyName.Normalize("Johnson & Johnson"));
        Assert.NotEqual(CompanyName.Normalize("Stripe"), CompanyName.Normalize("Stripe Labs"));
        // A legal form alone is a name, not a suffix to drop.
        Assert.Equal("inc", CompanyName.Normalize("Inc."));
    }

    [Theory]
    [InlineData("stripe.com", "stripe")]
    [InlineData("https://www.stripe.com/about", "stripe")]
    [InlineData("acme.co.uk", "acme")]
    [InlineData("WWW.Acme-Labs.io", "acmelabs")]
    public void Domains_give_the_company_key(string domain, string expected) => Assert.Equal(expected, CompanyName.FromDomain(domain));

    [Theory]
    [InlineData("stripe.com", true)]
    [InlineData("https://stripe.com", true)]
    [InlineData("Stripe, Inc.", false)]
    [InlineData("Stripe", false)]
    [InlineData("Booking Holdings Inc.", false)]
    public void Domains_are_told_from_names(string value, bool domain) => Assert.Equal(domain, CompanyName.LooksLikeDomain(value));
}
