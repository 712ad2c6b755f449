import Foundation
import WirehookVerify

/// Verifies a captured delivery with Wirehook's own receiver library.
enum WebhookVerifierCheck {
    static func standard(_ delivery: TestReceiver.Received, secret: String) throws {
        try WebhookVerifier(format: .standard, secret: secret).verify(body: delivery.body, headers: delivery.headers)
    }
}
