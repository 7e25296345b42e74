/// The version of gridbroker: the daemon, its command line and the node agent it serves print it
/// with `--version`.
public enum BrokerVersion {
    public static let current = "0.1.0"
}
