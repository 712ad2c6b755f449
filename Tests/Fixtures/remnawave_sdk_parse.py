"""A Remnawave receiver built on the official Python SDK (pip package `remnawave`).

Reads {"body_base64","headers","secret"} on stdin, checks the signature with the SDK's
WebhookUtility on the raw body, then runs the SDK's own typed parse (WebhookPayloadDto.from_dict,
which builds UserDto for user.* events and NodeDto for node.* events). Prints the fields a receiver reads; exits non-zero when
the SDK refuses the delivery.
"""
import base64
import json
import sys

from remnawave.controllers.webhooks import WebhookUtility
from remnawave.models.webhook import WebhookPayloadDto

given = json.load(sys.stdin)
body = base64.b64decode(given["body_base64"]).decode("utf-8")
if not WebhookUtility.validate_webhook_with_headers(body, given["headers"], given["secret"]):
    print("signature rejected")
    sys.exit(1)
payload = WebhookPayloadDto.from_dict(json.loads(body))
if payload.event.startswith("node."):
    node = payload.data
    print(json.dumps({
        "event": payload.event,
        "uuid": str(node.uuid), "name": node.name, "address": node.address, "port": node.port,
        "is_connected": node.is_connected, "is_connecting": node.is_connecting, "is_disabled": node.is_disabled,
        "consumption_multiplier": node.consumption_multiplier, "country_code": node.country_code,
        "view_position": node.view_position, "created_at": node.created_at.isoformat(),
        "active_inbounds": len(node.config_profile.active_inbounds),
    }))
    sys.exit(0)
user = payload.data
print(json.dumps({
    "event": payload.event,
    "uuid": str(user.uuid), "id": user.id, "short_uuid": user.short_uuid, "username": user.username,
    "status": user.status, "traffic_limit_bytes": user.traffic_limit_bytes,
    "traffic_limit_strategy": user.traffic_limit_strategy, "expire_at": user.expire_at.isoformat(),
    "used_traffic_bytes": user.user_traffic.used_traffic_bytes,
    "last_triggered_threshold": user.last_triggered_threshold, "subscription_url": user.subscription_url,
    "vless_uuid": str(user.vless_uuid), "description": user.description,
}))
