"""Third-party and seed-supplied receivers, fed one captured delivery as JSON on stdin.

Usage: verify_receivers.py standardwebhooks|svix|vpn-enterprise|remnawave
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


def remnawave(payload, headers, secret):
    # The Remnawave document's Python sample, given the raw body as a string (the branch a
    # receiver takes with request.get_data(as_text=True)); its Go sample signs the raw bytes too.
    import logging

    def validate_webhook(body, signature):
        webhook_secret_panel = secret
        if isinstance(body, str):
            original_body = body
            try:
                parsed_body = json.loads(body)
            except json.JSONDecodeError as e:
                logging.warning("Failed to parse body: %s", e)
                return False
        else:
            original_body = json.dumps(body, separators=(",", ":"))
            parsed_body = body
        computed_signature = hmac.new(
            webhook_secret_panel.encode("utf-8"), original_body.encode("utf-8"), hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(computed_signature, signature)

    if not validate_webhook(payload.decode("utf-8"), headers.get("x-remnawave-signature", "")):
        raise SystemExit("fail: signature")
    return json.loads(payload)["event"]


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
    fn = {
        "standardwebhooks": standardwebhooks,
        "svix": svix,
        "vpn-enterprise": vpn_enterprise,
        "remnawave": remnawave,
    }[mode]
    print("ok", fn(payload, headers, msg["secret"]))


if __name__ == "__main__":
    main()
