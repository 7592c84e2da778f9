using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansSignals.Cli.Api;

/// <summary>The export routes of the HTTP API. Every error status becomes an <see cref="ApiProblemException"/>.</summary>
public sealed class SignalsApiClient : IDisposable
{
    private const int MaxBodyInMessage = 500;
    private readonly HttpClient _http;
    private readonly string _apiKey;

    public SignalsApiClient(Uri baseUri, string apiKey)
    {
        // Redirects are followed by hand (DownloadAsync) so the API key never goes to another host.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = baseUri,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _apiKey = apiKey;
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public Task<ExportRun> CreateExportAsync(NewExport export, CancellationToken cancellationToken) =>
        SendAsync<ExportRun>(HttpMethod.Post, "/api/datalake/exports", JsonContent.Create(export, options: CliJson.Options), cancellationToken);

    public Task<ExportRun> GetExportAsync(Guid id, CancellationToken cancellationToken) => GetExportAsync(id.ToString(), cancellationToken);

    /// <summary>An id as the user typed it: one that is not an export's is the API's 404, which names it.</summary>
    public Task<ExportRun> GetExportAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<ExportRun>(HttpMethod.Get, $"/api/datalake/exports/{Uri.EscapeDataString(id)}", null, cancellationToken);

    public async Task<IReadOnlyList<ExportRun>> ListExportsAsync(CancellationToken cancellationToken) =>
        (await SendAsync<ExportRunList>(HttpMethod.Get, "/api/datalake/exports", null, cancellationToken)).Items;

    /// <summary>
    /// The download response with its headers read and its body not: the file itself, or, when the API
    /// redirects (S3: a presigned URL), the target's response, fetched without the API key.
    /// </summary>
    public async Task<HttpResponseMessage> DownloadAsync(Guid id, CancellationToken cancellationToken)
    {
        var response = await SendRawAsync(Authorized(HttpMethod.Get, $"/api/datalake/exports/{id}/download"), cancellationToken);
        if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
        {
            var target = location.IsAbsoluteUri ? location : new Uri(_http.BaseAddress!, location);
            response.Dispose();
            response = await SendRawAsync(new HttpRequestMessage(HttpMethod.Get, target), cancellationToken);
        }
        await EnsureSuccessAsync(response, cancellationToken);
        return response;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var request = Authorized(method, path);
        request.Content = content;
        using var response = await SendRawAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(CliJson.Options, cancellationToken)
                ?? throw new CliException($"{method} {path} answered an empty body.");
        }
        catch (JsonException ex)
        {
            throw new HostUnreachableException($"{_http.BaseAddress} does not look like the OrleansSignals API: {method} {path} answered {ex.Message}", ex);
        }
    }

    private HttpRequestMessage Authorized(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        return request;
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new HostUnreachableException($"Cannot reach {request.RequestUri?.GetLeftPart(UriPartial.Authority) ?? _http.BaseAddress!.ToString()}: {ex.Message}", ex);
            }
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var url = response.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Authority);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        response.Dispose();
        ApiProblem? problem = null;
        if (body.TrimStart().StartsWith('{'))
        {
            try
            {
                problem = JsonSerializer.Deserialize<ApiProblem>(body, CliJson.Options);
            }
            catch (JsonException)
            {
                // Not problem details: the raw body is shown instead.
            }
        }
        // Every error the API gives is problem details; anything else (an HTML page, an empty 502 from a proxy) is
        // some other server at that URL: exit 3 with one line instead of that server's page.
        if (problem?.Status is null && mediaType != "application/problem+json")
            throw new HostUnreachableException(
                $"{url} answered HTTP {status} ({mediaType ?? "no body"}), not as the OrleansSignals API: check --url or SIGNALS_URL.", new HttpRequestException(body.Length > 200 ? body[..200] : body));
        var trimmed = body.Trim();
        throw new ApiProblemException(status, problem, trimmed.Length > MaxBodyInMessage ? trimmed[..MaxBodyInMessage] + "..." : trimmed);
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect or HttpStatusCode.MovedPermanently;

    public void Dispose() => _http.Dispose();
}
