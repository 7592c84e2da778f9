using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MimeKit;

namespace OrleansSignals.FunctionalTests.Infrastructure;

/// <summary>
/// A real SMTP server on 127.0.0.1: aiosmtpd (Debian's python3-aiosmtpd, run by the system python) through
/// tests/tools/smtp-sink.py, which writes each message it accepts to a folder. Mailboxes named refused* answer 550,
/// busy* answer 451 once. Messages are read back with MimeKit.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public int Port { get; }
    public string Directory { get; }

    private SmtpSink(Process process, int port, string directory) => (_process, Port, Directory) = (process, port, directory);

    public static async Task<SmtpSink> StartAsync()
    {
        var port = TestPorts.Next();
        var directory = Path.Combine(Path.GetTempPath(), "signals-smtp-" + Guid.NewGuid().ToString("N")[..8]);
        var start = new ProcessStartInfo(Python, ["-u", Path.Combine(RepoRoot(), "tests", "tools", "smtp-sink.py"), port.ToString(System.Globalization.CultureInfo.InvariantCulture), directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var sink = new SmtpSink(Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start"), port, directory);
        sink._process.OutputDataReceived += (_, e) => { lock (sink._log) sink._log.AppendLine(e.Data); };
        sink._process.ErrorDataReceived += (_, e) => { lock (sink._log) sink._log.AppendLine(e.Data); };
        sink._process.BeginOutputReadLine();
        sink._process.BeginErrorReadLine();
        await Api.Eventually(async () =>
        {
            if (sink._process.HasExited)
                Assert.Fail($"smtp-sink.py exited ({sink._process.ExitCode}); is python3-aiosmtpd installed (scripts/test.sh installs it)? {sink.Log}");
            using var probe = new TcpClient();
            try
            {
                await probe.ConnectAsync("127.0.0.1", port);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(20), "the SMTP server listens");
        return sink;
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Every message received so far, oldest first, with the envelope's recipients.</summary>
    public IReadOnlyList<ReceivedMail> Messages()
    {
        return [.. System.IO.Directory.GetFiles(Directory, "*.eml").Order(StringComparer.Ordinal).Select(path =>
        {
            using var envelope = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(path, ".json")));
            var rcpt = envelope.RootElement.GetProperty("rcpt_tos").EnumerateArray().Select(r => r.GetString()!).ToList();
            return new ReceivedMail(rcpt, MimeMessage.Load(path));
        })];
    }

    /// <summary>The messages whose envelope is addressed to <paramref name="recipient"/>.</summary>
    public IReadOnlyList<ReceivedMail> To(string recipient) =>
        [.. Messages().Where(m => m.Recipients.Contains(recipient, StringComparer.OrdinalIgnoreCase))];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static string RepoRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "OrleansSignals.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
        return root;
    }
}

/// <summary>A message as the SMTP server received it: the envelope's recipients and the parsed MIME message.</summary>
public sealed record ReceivedMail(IReadOnlyList<string> Recipients, MimeMessage Message);
