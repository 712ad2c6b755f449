/// The built-in catalog: every event named in the panels' documents, grouped by scope, with example payloads shaped
/// like each panel's own models.
extension EventCatalog {
    static let builtInEntries: [EventCatalogEntry] =
        userEntries + userHwidDeviceEntries + nodeEntries + serviceEntries + crmEntries + errorsEntries
        + torrentBlockerEntries + vpnEntries + databaseEntries + billingEntries + peerEntries + interfaceEntries
        + webhookEntries

    typealias WG = DialectNames.WGPortalName

    // MARK: Shared example objects

    /// Remnawave's user object (`data` of every `user.*` event) as a 3.x panel sends it
    /// (`GetFullUserResponseModel`, in its key order), with `uuid` first as 2.x sent it and the
    /// Python SDK still requires.
    static let exampleRemnawaveUser: JSONValue = [
        "uuid": "9f8c7b6a-5d4e-4f3a-8b2c-1d0e9f8a7b6c",
        "id": 1024,
        "shortUuid": "aBcDeFgHjKmNpQrS",
        "username": "ivan_petrov",
        "status": "ACTIVE",
        "trafficLimitBytes": 107_374_182_400,
        "trafficLimitStrategy": "MONTH",
        "expireAt": "2026-02-15T10:00:00.000Z",
        "telegramId": 123_456_789,
        "email": "ivan@example.com",
        "description": "Premium plan, paid until February",
        "tag": .null,
        "hwidDeviceLimit": 3,
        "externalSquadUuid": .null,
        "trojanPassword": "tr0janPa55w0rdX9",
        "vlessUuid": "1b2c3d4e-5f60-4718-893a-4b5c6d7e8f90",
        "ssPassword": "ssPa55w0rdQ7mZ2kLx",
        "lastTriggeredThreshold": 0,
        "subRevokedAt": .null,
        "lastTrafficResetAt": .null,
        "createdAt": "2026-01-01T12:00:00.000Z",
        "updatedAt": "2026-01-15T10:00:00.000Z",
        "subscriptionUrl": "https://sub.example.com/aBcDeFgHjKmNpQrS",
        "activeInternalSquads": [["uuid": "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f", "name": "Default-Squad"]],
        "userTraffic": [
            "usedTrafficBytes": 1_073_741_824,
            "lifetimeUsedTrafficBytes": 5_368_709_120,
            "onlineAt": "2026-01-15T09:55:00.000Z",
            "lastConnectedNodeUuid": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "firstConnectedAt": "2026-01-01T12:30:00.000Z",
        ],
    ]

    /// Remnawave's node object (`data` of every `node.*` event), 3.x `NodeResponseModel` in its key order.
    static let exampleRemnawaveNode: JSONValue = [
        "uuid": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        "id": 7,
        "name": "de-fra-1",
        "address": "fra1.example.com",
        "port": 2222,
        "proxyUrl": .null,
        "isConnected": true,
        "isConnecting": false,
        "isDisabled": false,
        "lastStatusChange": "2026-01-15T09:30:00.000Z",
        "lastStatusMessage": .null,
        "trafficResetDay": 1,
        "consumptionMultiplier": 1,
        "nodeConsumptionMultiplier": 1,
        "isTrafficTrackingActive": true,
        "trafficLimitBytes": 1_099_511_627_776,
        "trafficUsedBytes": 53_687_091_200,
        "notifyPercent": 80,
        "note": .null,
        "viewPosition": 1,
        "countryCode": "DE",
        "tags": [],
        "integrationUuids": [],
        "ips": [],
        "createdAt": "2026-01-01T00:00:00.000Z",
        "updatedAt": "2026-01-15T10:00:00.000Z",
        "configProfile": [
            "activeConfigProfileUuid": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
            "activeInbounds": [
                [
                    "uuid": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "profileUuid": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                    "tag": "VLESS_TCP_REALITY", "type": "vless", "network": "tcp", "security": "reality", "port": 443,
                    "rawInbound": .null,
                ]
            ],
        ],
        "providerUuid": .null,
        "provider": .null,
        "activePluginUuid": .null,
        "xrayUptime": 86400,
        "usersOnline": 42,
        "system": .null,
        "versions": ["xray": "25.1.30", "node": "2.1.0"],
    ]

    /// Marzban's `UserResponse` (a notification's `user`), in its key order (`app/models/user.py`).
    static let exampleMarzbanUser: JSONValue = [
        "proxies": [
            "vless": ["id": "35e4e39c-7d5c-4f4b-8b71-558e4f37ff53", "flow": ""],
            "trojan": ["password": "Tr0janPa55", "flow": ""],
        ],
        "expire": 1_771_149_600,
        "data_limit": 107_374_182_400,
        "data_limit_reset_strategy": "month",
        "inbounds": ["vless": ["VLESS TCP REALITY"], "trojan": ["TROJAN WS TLS"]],
        "note": "",
        "sub_updated_at": "2026-01-15T09:41:12",
        "sub_last_user_agent": "v2rayNG/1.9.16",
        "online_at": "2026-01-15T09:55:00",
        "on_hold_expire_duration": .null,
        "on_hold_timeout": .null,
        "auto_delete_in_days": .null,
        "next_plan": .null,
        "username": "marzban_test_user",
        "status": "active",
        "used_traffic": 1_073_741_824,
        "lifetime_used_traffic": 5_368_709_120,
        "created_at": "2026-01-01T00:00:00",
        "links": [],
        "subscription_url": "/sub/bWFyemJhbl90ZXN0X3VzZXIsMTc2ODQ3MTIwMA.2f6c1a0b9e",
        "excluded_inbounds": ["vless": [], "trojan": []],
        "admin": ["username": "admin", "is_sudo": true, "telegram_id": .null, "discord_webhook": .null, "users_usage": .null],
    ]

    /// A Marzban notification as Wirehook stores it: the element without `action`, `enqueued_at`,
    /// `send_at` and `tries` (`UserDataResetByNext` has `username` and `user`).
    static let exampleMarzbanNotification: JSONValue = ["username": "marzban_test_user", "user": exampleMarzbanUser]

    /// wg-portal's Peer model, exactly the seed's `update`/`peer` payload.
    static let exampleWGPeer: JSONValue = [
        "CreatedBy": "admin@wgportal.local",
        "UpdatedBy": "admin@wgportal.local",
        "CreatedAt": "2025-06-26T21:43:49.251839574+02:00",
        "UpdatedAt": "2025-06-27T22:18:39.67763985+02:00",
        "Endpoint": "10.55.66.1:51820",
        "EndpointPublicKey": "eiVibpi3C2PUPcx2kwA5s09OgHx7AEaKMd33k0LQ5mM=",
        "AllowedIPsStr": "10.11.12.0/24,fdfd:d3ad:c0de:1234::/64",
        "ExtraAllowedIPsStr": "",
        "PresharedKey": "p9DDeLUSLOdQcjS8ZsBAiqUzwDIUvTyzavRZFuzhvyE=",
        "PersistentKeepalive": 16,
        "DisplayName": "Peer Fb5TaziA",
        "Identifier": "Fb5TaziAs1WrPBjC/MFbWsIelVXvi0hDKZ3YQM9wmU8=",
        "UserIdentifier": "admin@wgportal.local",
        "InterfaceIdentifier": "wgTesting",
        "AutomaticallyCreated": false,
        "PrivateKey": "QBFNBe+7J49ergH0ze2TGUJMFrL/2bOL50Z2cgluYW8=",
        "PublicKey": "Fb5TaziAs1WrPBjC/MFbWsIelVXvi0hDKZ3YQM9wmU8=",
        "InterfaceType": "client",
        "Addresses": ["10.11.12.10/32", "fdfd:d3ad:c0de:1234::a/128"],
        "CheckAliveAddress": "",
        "DnsStr": "",
        "DnsSearchStr": "",
        "Mtu": 1420,
    ]

    /// wg-portal's Interface model (the peer example is attached to it).
    static let exampleWGInterface: JSONValue = [
        "CreatedBy": "admin@wgportal.local",
        "UpdatedBy": "admin@wgportal.local",
        "CreatedAt": "2025-06-20T10:00:00.000000001+02:00",
        "UpdatedAt": "2025-06-27T22:00:00.123456789+02:00",
        "Identifier": "wgTesting",
        "PrivateKey": "gI6EdUSYvn8ugXOt8QQD6Yc+JyiZxIhp3GInSWRfWGE=",
        "PublicKey": "eiVibpi3C2PUPcx2kwA5s09OgHx7AEaKMd33k0LQ5mM=",
        "ListenPort": 51820,
        "Addresses": ["10.11.12.1/24", "fdfd:d3ad:c0de:1234::1/64"],
        "DnsStr": "1.1.1.1",
        "Mtu": 1420,
        "SaveConfig": true,
        "DisplayName": "Testing interface",
        "Type": "server",
        "DriverType": "linux",
        "PeerDefNetworkStr": "10.11.12.0/24,fdfd:d3ad:c0de:1234::/64",
        "PeerDefDnsStr": "1.1.1.1",
        "PeerDefEndpoint": "vpn.example.com:51820",
        "PeerDefAllowedIPsStr": "0.0.0.0/0,::/0",
        "PeerDefMtu": 1420,
        "PeerDefPersistentKeepalive": 16,
    ]

    /// wg-portal's `peer_metric` payload: the seed's `connect` example, or its disconnected counterpart.
    static func examplePeerMetric(connected: Bool) -> JSONValue {
        [
            "Status": [
                "UpdatedAt": "2025-06-27T22:20:08.734900034+02:00",
                "IsConnected": .bool(connected),
                "IsPingable": false,
                "BytesReceived": 212,
                "BytesTransmitted": 2884,
                "Endpoint": "10.55.66.77:58756",
                "LastHandshake": "2025-06-27T22:19:46.580842776+02:00",
                "LastSessionStart": "2025-06-27T22:19:46.580842776+02:00",
            ],
            "Peer": exampleWGPeer,
        ]
    }

    /// Remnawave's infra billing notice (`data` of every `crm.*` event).
    static let exampleInfraBillingNode: JSONValue = [
        "providerName": "Hetzner",
        "nodeName": "de-fra-1",
        "nextBillingAt": "2026-01-22T00:00:00.000Z",
        "loginUrl": "https://accounts.hetzner.com/login",
    ]

    // MARK: Entries by scope

    /// A `user.*` event whose Remnawave `data` is the user object.
    static func remnawaveUserEntry(
        _ name: String, remnawave: String, marzban: String? = nil, summary: String
    ) -> EventCatalogEntry {
        EventCatalogEntry(
            name: name, scope: "user", summary: summary, names: DialectNames(remnawave: remnawave, marzban: marzban),
            example: exampleRemnawaveUser)
    }

    static let userEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "user.created", scope: "user", summary: "User created (new user registered or invited)",
            names: DialectNames(
                remnawave: "user.created", marzban: "user_created", wgPortal: WG("create", "user"),
                vpnEnterprise: "user.created"),
            example: exampleRemnawaveUser),
        EventCatalogEntry(
            name: "user.updated", scope: "user", summary: "User modified (profile, limits or permissions updated)",
            names: DialectNames(
                remnawave: "user.modified", marzban: "user_updated", wgPortal: WG("update", "user"),
                vpnEnterprise: "user.updated"),
            example: exampleRemnawaveUser),
        EventCatalogEntry(
            name: "user.deleted", scope: "user", summary: "User deleted (removed from the organization)",
            names: DialectNames(
                remnawave: "user.deleted", marzban: "user_deleted", wgPortal: WG("delete", "user"),
                vpnEnterprise: "user.deleted"),
            example: exampleRemnawaveUser),
        remnawaveUserEntry(
            "user.revoked", remnawave: "user.revoked", marzban: "subscription_revoked",
            summary: "User revoked (subscription revoked)"),
        remnawaveUserEntry(
            "user.disabled", remnawave: "user.disabled", marzban: "user_disabled", summary: "User disabled"),
        remnawaveUserEntry("user.enabled", remnawave: "user.enabled", marzban: "user_enabled", summary: "User enabled"),
        remnawaveUserEntry(
            "user.limited", remnawave: "user.limited", marzban: "user_limited",
            summary: "User limited (data limit reached)"),
        remnawaveUserEntry(
            "user.expired", remnawave: "user.expired", marzban: "user_expired",
            summary: "User expired (account expired)"),
        remnawaveUserEntry(
            "user.traffic_reset", remnawave: "user.traffic_reset", marzban: "data_usage_reset",
            summary: "User traffic reset"),
        EventCatalogEntry(
            name: "user.data_reset_by_next", scope: "user",
            summary: "User data usage reset by moving on to the next plan",
            names: DialectNames(marzban: "data_reset_by_next"), example: exampleMarzbanNotification),
        EventCatalogEntry(
            name: "user.bandwidth_usage_threshold_reached", scope: "user",
            summary: "User bandwidth usage threshold reached (the threshold in data.lastTriggeredThreshold)",
            names: DialectNames(remnawave: "user.bandwidth_usage_threshold_reached", marzban: "reached_usage_percent"),
            example: exampleRemnawaveUser.setting("lastTriggeredThreshold", to: 80)),
        remnawaveUserEntry(
            "user.expiration", remnawave: "user.expiration", marzban: "reached_days_left",
            summary: "User expires soon or expired a while ago (hours in meta.expiration)"),
        remnawaveUserEntry(
            "user.expires_in_72_hours", remnawave: "user.expires_in_72_hours", summary: "User expires in 72 hours"),
        remnawaveUserEntry(
            "user.expires_in_48_hours", remnawave: "user.expires_in_48_hours", summary: "User expires in 48 hours"),
        remnawaveUserEntry(
            "user.expires_in_24_hours", remnawave: "user.expires_in_24_hours", summary: "User expires in 24 hours"),
        remnawaveUserEntry(
            "user.expired_24_hours_ago", remnawave: "user.expired_24_hours_ago", summary: "User expired 24 hours ago"),
        remnawaveUserEntry(
            "user.first_connected", remnawave: "user.first_connected", summary: "User first connected"),
        remnawaveUserEntry(
            "user.not_connected", remnawave: "user.not_connected",
            summary: "User not connected (hours since creation in meta.notConnectedAfterHours)"),
        EventCatalogEntry(
            name: "user.login", scope: "user", summary: "User successfully authenticated",
            names: DialectNames(vpnEnterprise: "user.login"),
            example: [
                "user_id": "usr_456",
                "email": "newuser@example.com",
                "ip_address": "203.0.113.7",
                "user_agent": "VPNEnterprise-Client/4.2 (macOS 15.1)",
                "mfa_used": true,
                "logged_in_at": "2024-12-02T14:19:45Z",
            ]),
    ]

    static let userHwidDeviceEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "user_hwid_devices.added", scope: "user_hwid_devices", summary: "User HWID device added",
            names: DialectNames(remnawave: "user_hwid_devices.added"),
            example: ["hwidUserDevice": exampleHwidDevice, "user": exampleRemnawaveUser]),
        EventCatalogEntry(
            name: "user_hwid_devices.deleted", scope: "user_hwid_devices", summary: "User HWID device deleted",
            names: DialectNames(remnawave: "user_hwid_devices.deleted"),
            example: ["hwidUserDevice": exampleHwidDevice, "user": exampleRemnawaveUser]),
    ]

    /// Remnawave 3.x `hwidUserDevice`: the owner by numeric `userId` (2.x sent `userUuid`).
    static let exampleHwidDevice: JSONValue = [
        "hwid": "5f3c9a1e7b2d4c6f",
        "userId": 1024,
        "platform": "iOS",
        "osVersion": "18.2",
        "deviceModel": "iPhone15,2",
        "userAgent": "Happ/3.1.2/ios",
        "requestIp": "203.0.113.7",
        "createdAt": "2026-01-15T09:41:12.000Z",
        "updatedAt": "2026-01-15T09:41:12.000Z",
    ]

    static let nodeEntries: [EventCatalogEntry] = [
        ("node.created", "Node created"),
        ("node.modified", "Node modified"),
        ("node.disabled", "Node disabled"),
        ("node.enabled", "Node enabled"),
        ("node.deleted", "Node deleted"),
        ("node.connection_lost", "Node connection lost"),
        ("node.connection_restored", "Node connection restored"),
        ("node.traffic_notify", "Node traffic notify (usage reached the node's notify percent)"),
    ].map { (name: String, summary: String) in
        EventCatalogEntry(
            name: name, scope: "node", summary: summary, names: DialectNames(remnawave: name),
            example: exampleRemnawaveNode)
    }

    static let serviceEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "service.panel_started", scope: "service", summary: "Panel started",
            names: DialectNames(remnawave: "service.panel_started"), example: ["panelVersion": "2.5.0"]),
        EventCatalogEntry(
            name: "service.login_attempt_failed", scope: "service", summary: "Login attempt failed",
            names: DialectNames(remnawave: "service.login_attempt_failed"),
            example: [
                "loginAttempt": [
                    "username": "admin",
                    "password": "guessed-password",
                    "ip": "203.0.113.7",
                    "userAgent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                    "description": "Invalid username or password",
                ]
            ]),
        EventCatalogEntry(
            name: "service.login_attempt_success", scope: "service", summary: "Login attempt success",
            names: DialectNames(remnawave: "service.login_attempt_success"),
            example: [
                "loginAttempt": [
                    "username": "admin",
                    "ip": "198.51.100.24",
                    "userAgent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
                    "description": "Login successful",
                ]
            ]),
        EventCatalogEntry(
            name: "service.subpage_config_changed", scope: "service", summary: "Subpage config changed",
            names: DialectNames(remnawave: "service.subpage_config_changed"),
            example: ["subpageConfig": ["action": "UPDATED", "uuid": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"]]),
        EventCatalogEntry(
            name: "service.api_token_created", scope: "service", summary: "API token created",
            names: DialectNames(remnawave: "service.api_token_created"), example: exampleApiToken),
        EventCatalogEntry(
            name: "service.api_token_deleted", scope: "service", summary: "API token deleted",
            names: DialectNames(remnawave: "service.api_token_deleted"), example: exampleApiToken),
    ]

    static let exampleApiToken: JSONValue = [
        "apiToken": [
            "name": "billing-bot",
            "uuid": "6f7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0",
            "expireAt": "2027-01-15T10:00:00.000Z",
            "scopes": ["users:read", "users:write"],
        ]
    ]

    static let crmEntries: [EventCatalogEntry] = [
        ("crm.infra_billing_node_payment_in_7_days", "Infra billing node payment in 7 days"),
        ("crm.infra_billing_node_payment_in_48hrs", "Infra billing node payment in 48 hours"),
        ("crm.infra_billing_node_payment_in_24hrs", "Infra billing node payment in 24 hours"),
        ("crm.infra_billing_node_payment_due_today", "Infra billing node payment due today"),
        ("crm.infra_billing_node_payment_overdue_24hrs", "Infra billing node payment overdue 24 hours"),
        ("crm.infra_billing_node_payment_overdue_48hrs", "Infra billing node payment overdue 48 hours"),
        ("crm.infra_billing_node_payment_overdue_7_days", "Infra billing node payment overdue 7 days"),
    ].map { (name: String, summary: String) in
        EventCatalogEntry(
            name: name, scope: "crm", summary: summary, names: DialectNames(remnawave: name),
            example: exampleInfraBillingNode)
    }

    static let errorsEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "errors.bandwidth_usage_threshold_reached_max_notifications", scope: "errors",
            summary: "Bandwidth usage threshold notifications reached their maximum per run",
            names: DialectNames(remnawave: "errors.bandwidth_usage_threshold_reached_max_notifications"),
            // The panel's errors data is this one field.
            example: [
                "description":
                    "Reached the maximum of 1000 bandwidth usage threshold notifications; the rest are skipped"
            ])
    ]

    static let torrentBlockerEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "torrent_blocker.report", scope: "torrent_blocker",
            summary: "Torrent blocker report (user blocked for BitTorrent traffic on a node)",
            names: DialectNames(remnawave: "torrent_blocker.report"),
            example: [
                "node": exampleRemnawaveNode,
                "user": exampleRemnawaveUser,
                "report": [
                    "actionReport": [
                        "blocked": true,
                        "ip": "203.0.113.7",
                        "blockDuration": 3600,
                        "willUnblockAt": "2026-01-15T11:00:00.000Z",
                        "userId": "1024",
                        "processedAt": "2026-01-15T10:00:00.000Z",
                    ],
                    "xrayReport": [
                        "email": "1024",
                        "protocol": "bittorrent",
                        "network": "tcp",
                        "source": "203.0.113.7:51432",
                        "destination": "198.51.100.9:6881",
                        "inboundTag": "VLESS_TCP_REALITY",
                        "outboundTag": "TORRENT",
                        "ts": 1_768_471_200,
                    ],
                ],
            ])
    ]

    static let vpnEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "vpn.connected", scope: "vpn", summary: "VPN connection established",
            names: DialectNames(wgPortal: WG("connect", "peer_metric"), vpnEnterprise: "vpn.connected"),
            example: examplePeerMetric(connected: true)),
        EventCatalogEntry(
            name: "vpn.disconnected", scope: "vpn", summary: "VPN connection terminated",
            names: DialectNames(wgPortal: WG("disconnect", "peer_metric"), vpnEnterprise: "vpn.disconnected"),
            example: examplePeerMetric(connected: false)),
        EventCatalogEntry(
            name: "vpn.server.created", scope: "vpn", summary: "New VPN server provisioned",
            names: DialectNames(vpnEnterprise: "vpn.server.created"),
            example: [
                "server_id": "srv_812",
                "name": "eu-central-fra-3",
                "region": "eu-central",
                "hostname": "fra3.vpn.example.com",
                "ip_address": "192.0.2.45",
                "protocol": "wireguard",
                "capacity": 500,
                "created_at": "2024-12-02T14:19:45Z",
            ]),
        EventCatalogEntry(
            name: "vpn.server.deleted", scope: "vpn", summary: "VPN server decommissioned",
            names: DialectNames(vpnEnterprise: "vpn.server.deleted"),
            example: [
                "server_id": "srv_812",
                "name": "eu-central-fra-3",
                "region": "eu-central",
                "deleted_at": "2024-12-02T14:19:45Z",
            ]),
    ]

    static let databaseEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "database.created", scope: "database", summary: "Database instance created",
            names: DialectNames(vpnEnterprise: "database.created"), example: exampleDatabase),
        EventCatalogEntry(
            name: "database.updated", scope: "database", summary: "Database configuration changed",
            names: DialectNames(vpnEnterprise: "database.updated"),
            example: exampleDatabase.setting("changes", to: ["storage_gb": 50, "plan": "standard-2"])),
        EventCatalogEntry(
            name: "database.deleted", scope: "database", summary: "Database instance deleted",
            names: DialectNames(vpnEnterprise: "database.deleted"),
            example: [
                "database_id": "db_789",
                "name": "customers-prod",
                "region": "eu-central",
                "deleted_at": "2024-12-02T14:19:45Z",
            ]),
        EventCatalogEntry(
            name: "database.backup.completed", scope: "database", summary: "Database backup finished",
            names: DialectNames(vpnEnterprise: "database.backup.completed"),
            example: [
                "database_id": "db_789",
                "backup_id": "bak_3301",
                "size_bytes": 734_003_200,
                "duration_seconds": 42,
                "started_at": "2024-12-02T03:00:00Z",
                "completed_at": "2024-12-02T03:00:42Z",
            ]),
    ]

    static let exampleDatabase: JSONValue = [
        "database_id": "db_789",
        "name": "customers-prod",
        "engine": "postgresql",
        "version": "16",
        "region": "eu-central",
        "plan": "standard-1",
        "storage_gb": 20,
        "status": "available",
        "created_at": "2024-12-02T14:19:45Z",
    ]

    static let billingEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "billing.invoice.created", scope: "billing", summary: "New invoice generated",
            names: DialectNames(vpnEnterprise: "billing.invoice.created"), example: exampleInvoice),
        EventCatalogEntry(
            name: "billing.invoice.paid", scope: "billing", summary: "Invoice payment successful",
            names: DialectNames(vpnEnterprise: "billing.invoice.paid"),
            example: exampleInvoice.setting("status", to: "paid").setting("paid_at", to: "2024-12-03T08:12:09Z")),
        EventCatalogEntry(
            name: "billing.invoice.failed", scope: "billing", summary: "Invoice payment failed",
            names: DialectNames(vpnEnterprise: "billing.invoice.failed"),
            example: exampleInvoice.setting("status", to: "payment_failed")
                .setting("failure_reason", to: "card_declined")),
        EventCatalogEntry(
            name: "billing.subscription.updated", scope: "billing", summary: "Subscription plan changed",
            names: DialectNames(vpnEnterprise: "billing.subscription.updated"),
            example: [
                "subscription_id": "sub_207",
                "customer_id": "cus_42",
                "plan": "business",
                "previous_plan": "team",
                "seats": 25,
                "status": "active",
                "current_period_end": "2025-01-02T00:00:00Z",
                "updated_at": "2024-12-02T14:19:45Z",
            ]),
    ]

    static let exampleInvoice: JSONValue = [
        "invoice_id": "inv_5521",
        "customer_id": "cus_42",
        "subscription_id": "sub_207",
        "amount": .number("249.00"),
        "currency": "USD",
        "status": "open",
        "due_date": "2024-12-16T00:00:00Z",
        "created_at": "2024-12-02T14:19:45Z",
    ]

    static let peerEntries: [EventCatalogEntry] = [
        ("create", "peer.created", "Peer created"),
        ("update", "peer.updated", "Peer updated"),
        ("delete", "peer.deleted", "Peer deleted"),
    ].map { (event: String, name: String, summary: String) in
        EventCatalogEntry(
            name: name, scope: "peer", summary: summary, names: DialectNames(wgPortal: WG(event, "peer")),
            example: exampleWGPeer)
    }

    static let interfaceEntries: [EventCatalogEntry] = [
        ("create", "interface.created", "WireGuard interface created"),
        ("update", "interface.updated", "WireGuard interface updated"),
        ("delete", "interface.deleted", "WireGuard interface deleted"),
    ].map { (event: String, name: String, summary: String) in
        EventCatalogEntry(
            name: name, scope: "interface", summary: summary, names: DialectNames(wgPortal: WG(event, "interface")),
            example: exampleWGInterface)
    }

    static let webhookEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "webhook.test", scope: "webhook", summary: "Test event sent to check an endpoint",
            example: ["test": true, "timestamp": "2024-12-02T15:30:00Z"])
    ]
}
