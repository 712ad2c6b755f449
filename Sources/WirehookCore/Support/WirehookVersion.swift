/// The version this build reports in `User-Agent`, `--version` and the API.
public enum WirehookVersion {
    public static let current = "0.1.0"
}
