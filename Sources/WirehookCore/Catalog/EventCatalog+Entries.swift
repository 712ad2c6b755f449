/// The built-in catalog: every event named in the panels' documents, with example payloads
/// shaped like each panel's own models.
extension EventCatalog {
    static let builtInEntries: [EventCatalogEntry] =
        userEntries + hwidEntries + nodeEntries + serviceEntries + crmEntries + miscRemnawaveEntries + vpnEntries
        + databaseEntries + billingEntries + peerEntries + interfaceEntries + wirehookEntries

    typealias WG = DialectNames.WGPortalName

    // MARK: Example payloads

    static let remnawaveUser: JSONValue = [
        "uuid": "9f8c7b6a-5d4e-4f3a-8b2c-1d0e9f8a7b6c", "shortUuid": "aBcD3fGh", "username": "ivan_petrov",
        "status": "ACTIVE", "usedTrafficBytes": 1_073_741_824, "lifetimeUsedTrafficBytes": 5_368_709_120,
        "trafficLimitBytes": 107_374_182_400, "trafficLimitStrategy": "MONTH",
        "expireAt": "2026-02-15T10:00:00.000Z", "subRevokedAt": .null, "description": "Premium plan",
        "telegramId": 123_456_789, "email": "ivan@example.com", "hwidDeviceLimit": 3,
        "subscriptionUrl": "https://sub.example.com/aBcD3fGh", "vlessUuid": "1b2c3d4e-5f60-4718-293a-4b5c6d7e8f90",
        "trojanPassword": "tr0janPa55", "ssPassword": "ssPa55word", "activeInternalSquads": [],
        "createdAt": "2026-01-15T10:00:00.000Z", "updatedAt": "2026-01-15T10:00:00.000Z",
    ]

    static let remnawaveNode: JSONValue = [
        "uuid": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "name": "de-fra-1", "address": "fra1.example.com",
        "port": 2222, "isConnected": true, "isDisabled": false, "isNodeOnline": true, "xrayVersion": "25.1.30",
        "usersOnline": 42, "trafficUsedBytes": 53_687_091_200, "trafficLimitBytes": 1_099_511_627_776,
        "countryCode": "DE", "consumptionMultiplier": 1, "createdAt": "2026-01-01T00:00:00.000Z",
        "updatedAt": "2026-01-15T10:00:00.000Z",
    ]

    static let marzbanUser: JSONValue = [
        "username": "marzban_test_user", "status": "active", "used_traffic": 1_073_741_824,
        "lifetime_used_traffic": 5_368_709_120, "data_limit": 107_374_182_400, "data_limit_reset_strategy": "month",
        "expire": 1_771_149_600, "note": "", "sub_updated_at": .null, "online_at": "2026-01-15T09:55:00",
        "created_at": "2026-01-01T00:00:00",
    ]

    static let marzbanAdmin: JSONValue = ["username": "admin", "is_sudo": true, "telegram_id": .null]

    static let wgPeer: JSONValue = [
        "CreatedBy": "admin@wgportal.local", "UpdatedBy": "admin@wgportal.local",
        "CreatedAt": "2025-06-26T21:43:49.251839574+02:00", "UpdatedAt": "2025-06-27T22:18:39.67763985+02:00",
        "Endpoint": "10.55.66.1:51820", "EndpointPublicKey": "eiVibpi3C2PUPcx2kwA5s09OgHx7AEaKMd33k0LQ5mM=",
        "AllowedIPsStr": "10.11.12.0/24,fdfd:d3ad:c0de:1234::/64", "ExtraAllowedIPsStr": "",
        "PresharedKey": "p9DDeLUSLOdQcjS8ZsBAiqUzwDIUvTyzavRZFuzhvyE=", "PersistentKeepalive": 16,
        "DisplayName": "Peer Fb5TaziA", "Identifier": "Fb5TaziAs1WrPBjC/MFbWsIelVXvi0hDKZ3YQM9wmU8=",
        "UserIdentifier": "admin@wgportal.local", "InterfaceIdentifier": "wgTesting", "AutomaticallyCreated": false,
        "PrivateKey": "QBFNBe+7J49ergH0ze2TGUJMFrL/2bOL50Z2cgluYW8=",
        "PublicKey": "Fb5TaziAs1WrPBjC/MFbWsIelVXvi0hDKZ3YQM9wmU8=", "InterfaceType": "client",
        "Addresses": ["10.11.12.10/32", "fdfd:d3ad:c0de:1234::a/128"], "CheckAliveAddress": "", "DnsStr": "",
        "DnsSearchStr": "", "Mtu": 1420,
    ]

    static let wgUser: JSONValue = [
        "CreatedBy": "admin@wgportal.local", "UpdatedBy": "admin@wgportal.local",
        "CreatedAt": "2025-06-26T21:40:12.120398712+02:00", "UpdatedAt": "2025-06-27T08:01:44.551923007+02:00",
        "Identifier": "alice@example.com", "Email": "alice@example.com", "Source": "db", "ProviderName": "",
        "IsAdmin": false, "Firstname": "Alice", "Lastname": "Smith", "Department": "Support",
    ]

    static let wgInterface: JSONValue = [
        "CreatedBy": "admin@wgportal.local", "UpdatedBy": "admin@wgportal.local",
        "CreatedAt": "2025-06-20T10:00:00.000000001+02:00", "UpdatedAt": "2025-06-27T22:00:00.123456789+02:00",
        "Identifier": "wgTesting", "PublicKey": "eiVibpi3C2PUPcx2kwA5s09OgHx7AEaKMd33k0LQ5mM=", "ListenPort": 51820,
        "Addresses": ["10.11.12.1/24", "fdfd:d3ad:c0de:1234::1/64"], "DnsStr": "1.1.1.1", "Mtu": 1420,
        "SaveConfig": true, "DisplayName": "Testing interface", "Type": "server", "DriverType": "linux",
        "PeerDefNetworkStr": "10.11.12.0/24", "PeerDefEndpoint": "vpn.example.com:51820",
        "PeerDefAllowedIPsStr": "0.0.0.0/0, ::/0", "PeerDefMtu": 1420, "PeerDefPersistentKeepalive": 16,
    ]

    static func peerMetric(connected: Bool) -> JSONValue {
        [
            "Status": [
                "UpdatedAt": "2025-06-27T22:20:08.734900034+02:00", "IsConnected": .bool(connected), "IsPingable": false,
                "BytesReceived": 212, "BytesTransmitted": 2884, "Endpoint": "10.55.66.77:58756",
                "LastHandshake": "2025-06-27T22:19:46.580842776+02:00",
                "LastSessionStart": "2025-06-27T22:19:46.580842776+02:00",
            ],
            "Peer": wgPeer,
        ]
    }

    static let infraBilling: JSONValue = [
        "providerName": "Hetzner", "providerLoginUrl": "https://accounts.hetzner.com", "nodeName": "de-fra-1",
        "nodeUuid": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "nextBillingAt": "2026-01-22T00:00:00.000Z",
    ]

    static func remnawaveUser(_ entry: String, _ rw: String, _ mz: String? = nil, _ summary: String) -> EventCatalogEntry {
        EventCatalogEntry(
            name: entry, scope: "user", summary: summary, names: .init(remnawave: rw, marzban: mz), example: remnawaveUser)
    }

    // MARK: Entries by scope

    static let userEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "user.created", scope: "user", summary: "User created",
            names: .init(remnawave: "user.created", marzban: "user_created", wgPortal: WG("create", "user"), vpnEnterprise: "user.created"),
            example: remnawaveUser),
        EventCatalogEntry(
            name: "user.updated", scope: "user", summary: "User modified (profile, limits or permissions)",
            names: .init(remnawave: "user.modified", marzban: "user_updated", wgPortal: WG("update", "user"), vpnEnterprise: "user.updated"),
            example: remnawaveUser),
        EventCatalogEntry(
            name: "user.deleted", scope: "user", summary: "User deleted",
            names: .init(remnawave: "user.deleted", marzban: "user_deleted", wgPortal: WG("delete", "user"), vpnEnterprise: "user.deleted"),
            example: remnawaveUser),
        remnawaveUser("user.revoked", "user.revoked", "subscription_revoked", "User subscription revoked"),
        remnawaveUser("user.disabled", "user.disabled", "user_disabled", "User disabled"),
        remnawaveUser("user.enabled", "user.enabled", "user_enabled", "User enabled"),
        remnawaveUser("user.limited", "user.limited", "user_limited", "User reached the data limit"),
        remnawaveUser("user.expired", "user.expired", "user_expired", "User expired"),
        remnawaveUser("user.traffic_reset", "user.traffic_reset", "data_usage_reset", "User traffic reset"),
        EventCatalogEntry(
            name: "user.data_reset_by_next", scope: "user", summary: "User data reset by moving to the next plan",
            names: .init(marzban: "data_reset_by_next"),
            example: ["username": "marzban_test_user", "by": marzbanAdmin, "user": marzbanUser]),
        EventCatalogEntry(
            name: "user.bandwidth_usage_threshold_reached", scope: "user", summary: "User bandwidth usage threshold reached",
            names: .init(remnawave: "user.bandwidth_usage_threshold_reached", marzban: "reached_usage_percent"),
            example: remnawaveUser),
        EventCatalogEntry(
            name: "user.expiration", scope: "user",
            summary: "User expires soon or expired a while ago (hours in meta.expiration)",
            names: .init(remnawave: "user.expiration", marzban: "reached_days_left"), example: remnawaveUser),
        remnawaveUser("user.expires_in_72_hours", "user.expires_in_72_hours", nil, "User expires in 72 hours"),
        remnawaveUser("user.expires_in_48_hours", "user.expires_in_48_hours", nil, "User expires in 48 hours"),
        remnawaveUser("user.expires_in_24_hours", "user.expires_in_24_hours", nil, "User expires in 24 hours"),
        remnawaveUser("user.expired_24_hours_ago", "user.expired_24_hours_ago", nil, "User expired 24 hours ago"),
        remnawaveUser("user.first_connected", "user.first_connected", nil, "User connected for the first time"),
        remnawaveUser(
            "user.not_connected", "user.not_connected", nil,
            "User has not connected since creation (meta.notConnectedAfterHours)"),
        EventCatalogEntry(
            name: "user.login", scope: "user", summary: "User successfully authenticated",
            names: .init(vpnEnterprise: "user.login"),
            example: ["user_id": "usr_456", "email": "newuser@example.com", "ip": "203.0.113.7", "logged_in_at": "2024-12-02T14:19:45Z"]),
    ]

    static let hwidEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "user_hwid_devices.added", scope: "user_hwid_devices", summary: "User HWID device added",
            names: .init(remnawave: "user_hwid_devices.added"),
            example: [
                "user": remnawaveUser,
                "hwidUserDevice": [
                    "hwid": "a1b2c3d4e5f6", "userUuid": "9f8c7b6a-5d4e-4f3a-8b2c-1d0e9f8a7b6c", "platform": "iOS",
                    "osVersion": "18.2", "deviceModel": "iPhone15,2", "userAgent": "Happ/3.1",
                    "createdAt": "2026-01-15T10:00:00.000Z", "updatedAt": "2026-01-15T10:00:00.000Z",
                ],
            ]),
        EventCatalogEntry(
            name: "user_hwid_devices.deleted", scope: "user_hwid_devices", summary: "User HWID device deleted",
            names: .init(remnawave: "user_hwid_devices.deleted"),
            example: [
                "user": remnawaveUser,
                "hwidUserDevice": ["hwid": "a1b2c3d4e5f6", "userUuid": "9f8c7b6a-5d4e-4f3a-8b2c-1d0e9f8a7b6c", "platform": "iOS"],
            ]),
    ]

    static let nodeEntries: [EventCatalogEntry] = [
        ("node.created", "Node created"), ("node.modified", "Node modified"), ("node.disabled", "Node disabled"),
        ("node.enabled", "Node enabled"), ("node.deleted", "Node deleted"),
        ("node.connection_lost", "Node connection lost"), ("node.connection_restored", "Node connection restored"),
        ("node.traffic_notify", "Node traffic notification (usage threshold)"),
    ].map { name, summary in
        EventCatalogEntry(name: name, scope: "node", summary: summary, names: .init(remnawave: name), example: remnawaveNode)
    }

    static let serviceEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "service.panel_started", scope: "service", summary: "Panel started",
            names: .init(remnawave: "service.panel_started"), example: ["panelVersion": "2.5.0"]),
        EventCatalogEntry(
            name: "service.login_attempt_failed", scope: "service", summary: "Admin login attempt failed",
            names: .init(remnawave: "service.login_attempt_failed"),
            example: [
                "loginAttempt": [
                    "username": "admin", "password": "wrong-password", "ip": "203.0.113.7",
                    "userAgent": "Mozilla/5.0", "description": "Invalid credentials",
                ]
            ]),
        EventCatalogEntry(
            name: "service.login_attempt_success", scope: "service", summary: "Admin login attempt succeeded",
            names: .init(remnawave: "service.login_attempt_success"),
            example: [
                "loginAttempt": ["username": "admin", "ip": "203.0.113.7", "userAgent": "Mozilla/5.0", "description": "Login successful"]
            ]),
        EventCatalogEntry(
            name: "service.subpage_config_changed", scope: "service", summary: "Subscription page config changed",
            names: .init(remnawave: "service.subpage_config_changed"),
            example: ["action": "updated", "uuid": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"]),
        EventCatalogEntry(
            name: "service.api_token_created", scope: "service", summary: "API token created",
            names: .init(remnawave: "service.api_token_created"),
            example: ["tokenName": "billing-bot", "uuid": "6f7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0"]),
        EventCatalogEntry(
            name: "service.api_token_deleted", scope: "service", summary: "API token deleted",
            names: .init(remnawave: "service.api_token_deleted"),
            example: ["tokenName": "billing-bot", "uuid": "6f7a8b9c-0d1e-4f2a-b3c4-d5e6f7a8b9c0"]),
    ]

    static let crmEntries: [EventCatalogEntry] = [
        ("crm.infra_billing_node_payment_in_7_days", "Infra billing: node payment due in 7 days"),
        ("crm.infra_billing_node_payment_in_48hrs", "Infra billing: node payment due in 48 hours"),
        ("crm.infra_billing_node_payment_in_24hrs", "Infra billing: node payment due in 24 hours"),
        ("crm.infra_billing_node_payment_due_today", "Infra billing: node payment due today"),
        ("crm.infra_billing_node_payment_overdue_24hrs", "Infra billing: node payment overdue by 24 hours"),
        ("crm.infra_billing_node_payment_overdue_48hrs", "Infra billing: node payment overdue by 48 hours"),
        ("crm.infra_billing_node_payment_overdue_7_days", "Infra billing: node payment overdue by 7 days"),
    ].map { name, summary in
        EventCatalogEntry(name: name, scope: "crm", summary: summary, names: .init(remnawave: name), example: infraBilling)
    }

    static let miscRemnawaveEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "errors.bandwidth_usage_threshold_reached_max_notifications", scope: "errors",
            summary: "Bandwidth threshold notifications hit their per-run maximum",
            names: .init(remnawave: "errors.bandwidth_usage_threshold_reached_max_notifications"),
            example: ["description": "Maximum bandwidth usage threshold notifications reached", "count": 500]),
        EventCatalogEntry(
            name: "torrent_blocker.report", scope: "torrent_blocker", summary: "Torrent blocker reported BitTorrent traffic",
            names: .init(remnawave: "torrent_blocker.report"),
            example: [
                "user": remnawaveUser, "node": remnawaveNode,
                "report": ["protocol": "bittorrent", "sourceIp": "10.0.0.12", "destination": "198.51.100.9:6881", "blockedAt": "2026-01-15T10:00:00.000Z"],
            ]),
    ]

    static let vpnEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "vpn.connected", scope: "vpn", summary: "VPN connection established",
            names: .init(wgPortal: WG("connect", "peer_metric"), vpnEnterprise: "vpn.connected"),
            example: peerMetric(connected: true)),
        EventCatalogEntry(
            name: "vpn.disconnected", scope: "vpn", summary: "VPN connection terminated",
            names: .init(wgPortal: WG("disconnect", "peer_metric"), vpnEnterprise: "vpn.disconnected"),
            example: peerMetric(connected: false)),
        EventCatalogEntry(
            name: "vpn.server.created", scope: "vpn", summary: "New VPN server provisioned",
            names: .init(vpnEnterprise: "vpn.server.created"),
            example: ["server_id": "srv_12", "region": "eu-central", "hostname": "fra1.vpn.example.com", "created_at": "2024-12-02T14:19:45Z"]),
        EventCatalogEntry(
            name: "vpn.server.deleted", scope: "vpn", summary: "VPN server decommissioned",
            names: .init(vpnEnterprise: "vpn.server.deleted"),
            example: ["server_id": "srv_12", "region": "eu-central", "deleted_at": "2024-12-02T14:19:45Z"]),
    ]

    static let databaseEntries: [EventCatalogEntry] = [
        ("database.created", "Database instance created"), ("database.updated", "Database configuration changed"),
        ("database.deleted", "Database instance deleted"), ("database.backup.completed", "Database backup finished"),
    ].map { name, summary in
        EventCatalogEntry(
            name: name, scope: "database", summary: summary, names: .init(vpnEnterprise: name),
            example: ["database_id": "db_789", "engine": "postgresql", "version": "16", "region": "eu-central", "updated_at": "2024-12-02T14:19:45Z"])
    }

    static let billingEntries: [EventCatalogEntry] = [
        ("billing.invoice.created", "New invoice generated"), ("billing.invoice.paid", "Invoice payment successful"),
        ("billing.invoice.failed", "Invoice payment failed"),
    ].map { name, summary in
        EventCatalogEntry(
            name: name, scope: "billing", summary: summary, names: .init(vpnEnterprise: name),
            example: ["invoice_id": "inv_1", "customer_id": "cus_42", "amount": 1200, "currency": "EUR", "due_at": "2024-12-15T00:00:00Z"])
    } + [
        EventCatalogEntry(
            name: "billing.subscription.updated", scope: "billing", summary: "Subscription plan changed",
            names: .init(vpnEnterprise: "billing.subscription.updated"),
            example: ["subscription_id": "sub_7", "customer_id": "cus_42", "plan": "business", "seats": 25, "previous_plan": "team"])
    ]

    static let peerEntries: [EventCatalogEntry] = [
        ("create", "peer.created", "Peer created"), ("update", "peer.updated", "Peer updated"),
        ("delete", "peer.deleted", "Peer deleted"),
    ].map { event, name, summary in
        EventCatalogEntry(name: name, scope: "peer", summary: summary, names: .init(wgPortal: WG(event, "peer")), example: wgPeer)
    }

    static let interfaceEntries: [EventCatalogEntry] = [
        ("create", "interface.created", "WireGuard interface created"),
        ("update", "interface.updated", "WireGuard interface updated"),
        ("delete", "interface.deleted", "WireGuard interface deleted"),
    ].map { event, name, summary in
        EventCatalogEntry(
            name: name, scope: "interface", summary: summary, names: .init(wgPortal: WG(event, "interface")),
            example: wgInterface)
    }

    static let wirehookEntries: [EventCatalogEntry] = [
        EventCatalogEntry(
            name: "webhook.test", scope: "webhook", summary: "Test delivery sent from the API or dashboard",
            example: ["test": true, "timestamp": "2024-12-02T15:30:00Z"])
    ]
}
