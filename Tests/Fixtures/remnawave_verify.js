// The Remnawave document's TypeScript verifier (validateWebhook), as plain JS: it re-stringifies
// the parsed body, so it only accepts bodies that are exactly JSON.stringify's output.
// stdin: {"body_base64": "...", "headers": {...}, "secret": "..."}
const { createHmac } = require('crypto');

function validateWebhook(webhookSecret, data) {
  if (!webhookSecret) return false;
  const signature = createHmac('sha256', webhookSecret)
    .update(JSON.stringify(data.body))
    .digest('hex');
  return signature === data.headers['x-remnawave-signature'];
}

let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {
  const msg = JSON.parse(input);
  const raw = Buffer.from(msg.body_base64, 'base64').toString('utf8');
  const headers = {};
  for (const [k, v] of Object.entries(msg.headers)) headers[k.toLowerCase()] = v;
  const body = JSON.parse(raw); // what express.json() hands the handler
  if (!validateWebhook(msg.secret, { body, headers })) {
    console.log('fail');
    process.exit(1);
  }
  if (headers['x-remnawave-timestamp'] !== body.timestamp) {
    console.log('fail: timestamp header differs from body');
    process.exit(1);
  }
  console.log('ok ' + body.event);
});
