// Verifies one captured webhook request with the standardwebhooks package (an independent
// implementation of the Standard Webhooks spec). Input on stdin, as JSON:
//   {"secret": "whsec_...", "headers": {"webhook-id": ..., "webhook-timestamp": ..., "webhook-signature": ...}, "body": "..."}
// Prints {"ok": true, "payload": {...}} and exits 0 when the signature verifies; prints
// {"ok": false, "error": "..."} and exits 1 otherwise.
import pkg from "standardwebhooks";
const { Webhook } = pkg;

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { secret, headers, body } = JSON.parse(input);
try {
  const payload = new Webhook(secret).verify(body, headers);
  console.log(JSON.stringify({ ok: true, payload }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: String(err && err.message || err) }));
  process.exit(1);
}
