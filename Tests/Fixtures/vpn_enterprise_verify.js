// The VPN Enterprise document's own Node.js verifier, fed one captured delivery on stdin:
// {"body_base64": "...", "signature": "<X-VPN-Signature>", "secret": "..."}. Prints ok or fails.
const crypto = require('crypto');
function verifyWebhookSignature(payload, signature, secret) {
const expectedSignature = crypto
.createHmac('sha256', secret)
.update(payload, 'utf8')
.digest('hex');
const providedSignature = signature.replace('sha256=', '');
return crypto.timingSafeEqual(
Buffer.from(expectedSignature, 'hex'),
Buffer.from(providedSignature, 'hex')
);
}
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {
  const msg = JSON.parse(input);
  const payload = Buffer.from(msg.body_base64, 'base64'); // express.raw gives a Buffer
  if (!verifyWebhookSignature(payload, msg.signature, msg.secret)) {
    console.log('fail');
    process.exit(1);
  }
  const event = JSON.parse(payload);
  console.log('ok ' + event.type);
});
