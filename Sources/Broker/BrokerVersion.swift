/// The version `gridbroker --version` prints.
public enum BrokerVersion {
    public static let current = "0.1.0"
}
