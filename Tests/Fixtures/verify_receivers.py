"""Third-party and seed-supplied receivers, fed one captured delivery as JSON on stdin.

Usage: verify_receivers.py standardwebhooks|svix|vpn-enterprise
Input: {"body_base64": "...", "headers": {...}, "secret": "..."}
Exit 0 and print "ok" when the receiver accepts the delivery.
"""
import base64
import hashlib
import hmac
import json
import sys


def vpn_enterprise(payload, headers, secret):
    # The VPN Enterprise document's Python sample, verbatim in substance.
    def verify_webhook_signature(payload, signature, secret):
        expected_signature = hmac.new(secret.encode("utf-8"), payload, hashlib.sha256).hexdigest()
        provided_signature = signature.replace("sha256=", "")
        return hmac.compare_digest(expected_signature, provided_signature)

    signature = headers.get("x-vpn-signature")
    if not signature or not verify_webhook_signature(payload, signature, secret):
        raise SystemExit("fail: signature")
    event = json.loads(payload)
    return event["type"]


def standardwebhooks(payload, headers, secret):
    from standardwebhooks.webhooks import Webhook

    event = Webhook(secret).verify(payload, headers)
    return event["type"]


def svix(payload, headers, secret):
    from svix.webhooks import Webhook

    Webhook(secret).verify(payload, headers)  # raises on a bad signature or stale timestamp
    return json.loads(payload)["type"]


def main():
    mode = sys.argv[1]
    msg = json.load(sys.stdin)
    payload = base64.b64decode(msg["body_base64"])
    headers = {k.lower(): v for k, v in msg["headers"].items()}
    fn = {"standardwebhooks": standardwebhooks, "svix": svix, "vpn-enterprise": vpn_enterprise}[mode]
    print("ok", fn(payload, headers, msg["secret"]))


if __name__ == "__main__":
    main()
