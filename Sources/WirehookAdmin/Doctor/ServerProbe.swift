import AsyncHTTPClient
import NIOCore
import WirehookCore

/// Doctor's look at a running server: does `/readyz` say it should get traffic.
public enum ServerProbe {
    public static func check(baseURL: String, client: HTTPClient) async -> DoctorCheck {
        var request = HTTPClientRequest(url: baseURL + "/readyz")
        request.method = .GET
        do {
            let response = try await client.execute(request, timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 64 << 10)
            let json = try? JSONParser.parse(body.readableBytesView)
            let version = json?["version"]?.stringValue.map { " (Wirehook \($0), role \(Display.text(json?["role"])))" } ?? ""
            if response.status.code == 200 {
                return DoctorCheck("server", "ready", .ok, "\(baseURL) is ready\(version)")
            }
            return DoctorCheck(
                "server", "ready", .fail,
                "\(baseURL)/readyz answered \(response.status.code): \(json?["error"]?.stringValue ?? "not ready")",
                fix: "see the reason above; the server's log has the details")
        } catch {
            return DoctorCheck(
                "server", "ready", .warn, "no server answers at \(baseURL): \(AdminClient.describe(error))",
                fix: "start it (`wirehook serve`, `systemctl start wirehook`) or pass --server")
        }
    }
}
